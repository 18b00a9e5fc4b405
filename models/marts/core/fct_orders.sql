{#-
    One row per order (completed, cancelled or refunded) of a non-internal user. Only completed
    orders count as orders in growth metrics: they alone get an order_number.
-#}
with orders as (
    select * from {{ ref('stg_shop__orders') }}
),

internal_users as (
    select * from {{ ref('int_users_flagged_internal') }}
),

kept as (
    select orders.*
    from orders
    left join internal_users
        on orders.user_id = internal_users.user_id
    where internal_users.user_id is null
),

numbered as (
    select
        *,
        case
            when is_completed
                then row_number() over (
                    partition by user_id, is_completed
                    order by ordered_at, order_id
                )
        end as order_number
    from kept
),

final as (
    select
        order_id,
        user_id as user_key,
        status,
        region,
        cast(revenue as {{ dbt.type_numeric() }}) as revenue,
        cast(order_number as {{ dbt.type_bigint() }}) as order_number,
        is_completed,
        coalesce(order_number = 1, false) as is_first_order,
        cast({{ to_reporting_timestamp('ordered_at') }} as date) as ordered_date,
        ordered_at
    from numbered
)

select * from final
