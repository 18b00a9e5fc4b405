{#-
    The user_keys whose conversions int_attribution_conversions recomputes: the users
    int_users_changed found changed since the model's last run (changed_users), and the users
    of completed orders that differ from the stored order conversions (new, changed or gone).
    int_users_changed lists a user whose first completed order changed, not one whose later
    order arrived or changed; orders are few, so they are compared whole. Read the same way
    by the model and by its pre-hook (delete_user_rows): once the pre-hook has deleted these
    users' rows, every one of them with a completed order still differs from the stored rows,
    and a user left with none had their first order changed (int_users_changed lists them).
-#}
{% macro changed_conversion_users() -%}
    {{ changed_users() }}
    union
    select orders.user_key
    from {{ ref('fct_orders') }} as orders
    where
        orders.is_completed
        and not exists (
            select 1
            from {{ this }} as stored
            where
                stored.conversion_type = 'order'
                and stored.conversion_id = orders.order_id
                and stored.user_key = orders.user_key
                and stored.revenue is not distinct from orders.revenue
                and stored.is_first_order = orders.is_first_order
                and stored.converted_at = orders.ordered_at
        )
    union
    select stored.user_key
    from {{ this }} as stored
    where
        stored.conversion_type = 'order'
        and not exists (
            select 1
            from {{ ref('fct_orders') }} as orders
            where
                orders.is_completed
                and orders.order_id = stored.conversion_id
                and orders.user_key = stored.user_key
        )
{%- endmacro %}
