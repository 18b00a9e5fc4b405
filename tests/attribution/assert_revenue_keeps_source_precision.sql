-- Revenue keeps the source's precision (6 decimals) end to end: every staged order's revenue
-- reaches fct_orders and each of its attribution touches unchanged (exact numeric equality,
-- never rounded to cents), and the revenue the linear model credits for an order adds up to
-- it (relative tolerance 1e-9: credits are fractions). Returns each order that breaks this.
with staged_orders as (
    select * from {{ ref('stg_shop__orders') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

touches as (
    select * from {{ ref('fct_attribution_touches') }}
    where conversion_type = 'order'
),

touched_orders as (
    select
        conversion_id as order_id,
        min(revenue) as min_touch_revenue,
        max(revenue) as max_touch_revenue,
        sum(linear_credit * cast(revenue as {{ type_double() }})) as linear_credited_revenue
    from touches
    group by conversion_id
),

final as (
    select
        staged_orders.order_id,
        staged_orders.revenue as staged_revenue,
        orders.revenue as order_revenue,
        touched_orders.min_touch_revenue,
        touched_orders.max_touch_revenue,
        touched_orders.linear_credited_revenue
    from staged_orders
    inner join orders
        on staged_orders.order_id = orders.order_id
    left join touched_orders
        on staged_orders.order_id = touched_orders.order_id
    where
        orders.revenue <> staged_orders.revenue
        or touched_orders.min_touch_revenue <> staged_orders.revenue
        or touched_orders.max_touch_revenue <> staged_orders.revenue
        or abs(
            touched_orders.linear_credited_revenue
            - cast(staged_orders.revenue as {{ type_double() }})
        ) > 1e-9 * greatest(abs(cast(staged_orders.revenue as {{ type_double() }})), 1)
)

select * from final
