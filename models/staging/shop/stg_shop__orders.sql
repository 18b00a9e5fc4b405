with orders as (
    select * from {{ ref('base_shop__orders') }}
    where quarantine_reason is null and delivery_number = 1
),

final as (
    select
        order_id,
        user_id,
        status,
        region,
        revenue,
        status = 'completed' as is_completed,
        {{ is_internal_user_id('user_id') }} as is_listed_internal_user,
        ordered_at
    from orders
)

select * from final
