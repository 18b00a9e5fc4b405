{#-
    One row per month (var('reporting_timezone')) and growth dynamic, plus a total row per
    month (growth_dynamic = 'all'), from the first month with a signup or a completed order to
    the latest month with an event or a completed order: marketplace-style growth accounting.
    A user's dynamic comes from their "how did you hear about us" answer (dim_users.heard_about)
    through the growth_dynamics seed ('unknown' when unanswered or unmatched). Internal users
    and bots are left out.
-#}
{%- set month_of = "cast(" ~ dbt.date_trunc('month', '{}') ~ " as date)" %}

with users as (
    select * from {{ ref('dim_users') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

events as (
    select * from {{ ref('fct_events') }}
),

growth_dynamics as (
    select * from {{ ref('growth_dynamics') }}
),

dates as (
    select * from {{ ref('dim_dates') }}
),

user_dynamics as (
    select
        users.user_key,
        coalesce(growth_dynamics.growth_dynamic, 'unknown') as growth_dynamic,
        {{ month_of.format('users.signed_up_date') }} as signup_month
    from users
    left join growth_dynamics
        on lower(trim(users.heard_about)) = lower(trim(growth_dynamics.heard_about))
    where
        not users.is_internal
        and not users.is_bot
),

activation_months as (
    select distinct
        user_key,
        {{ month_of.format('event_date') }} as activation_month
    from events
    where event_name = '{{ var("activation_event_name") }}'
),

latest_events as (
    select max(event_date) as latest_event_date
    from events
),

-- A signup is activated when the user has an activation event in the month of the signup
-- (before or after the signup itself).
signups as (
    select
        user_dynamics.signup_month as month_start,
        user_dynamics.growth_dynamic,
        count(*) as signups,
        count(activation_months.user_key) as activated_users
    from user_dynamics
    left join activation_months
        on
            user_dynamics.user_key = activation_months.user_key
            and user_dynamics.signup_month = activation_months.activation_month
    where user_dynamics.signup_month is not null
    group by user_dynamics.signup_month, user_dynamics.growth_dynamic
),

customer_orders as (
    select distinct
        orders.user_key,
        user_dynamics.growth_dynamic,
        {{ month_of.format('orders.ordered_date') }} as order_month
    from orders
    inner join user_dynamics
        on orders.user_key = user_dynamics.user_key
    where
        orders.is_completed
        and orders.ordered_date is not null
),

customer_months as (
    select
        user_key,
        growth_dynamic,
        order_month,
        min(order_month) over (partition by user_key) as first_order_month,
        lead(order_month) over (partition by user_key order by order_month)
            as next_order_month
    from customer_orders
),

-- lapsing_customers ordered in the month and not in the next one: next month's churn.
customer_activity as (
    select
        order_month as month_start,
        growth_dynamic,
        count(*) as ordering_customers,
        sum(case when order_month = first_order_month then 1 else 0 end) as new_customers,
        sum(
            case
                when
                    next_order_month is null
                    or next_order_month > cast({{ dbt.dateadd('month', 1, 'order_month') }} as date)
                    then 1
                else 0
            end
        ) as lapsing_customers
    from customer_months
    group by order_month, growth_dynamic
),

facts as (
    select
        month_start,
        growth_dynamic,
        signups,
        activated_users,
        0 as ordering_customers,
        0 as new_customers,
        0 as lapsing_customers
    from signups
    union all
    select
        month_start,
        growth_dynamic,
        0 as signups,
        0 as activated_users,
        ordering_customers,
        new_customers,
        lapsing_customers
    from customer_activity
),

bounds as (
    select
        min(month_start) as first_month,
        max(month_start) as last_fact_month
    from facts
),

months as (
    select
        dates.date_day as month_start,
        latest_events.latest_event_date
    from dates
    cross join bounds
    cross join latest_events
    where
        dates.date_day = {{ month_of.format('dates.date_day') }}
        and dates.date_day >= bounds.first_month
        and (
            dates.date_day <= bounds.last_fact_month
            or dates.date_day <= latest_events.latest_event_date
        )
),

dynamic_labels as (
    select growth_dynamic from growth_dynamics
    union
    select 'unknown' as growth_dynamic
    union
    select 'all' as growth_dynamic
),

-- Every month x dynamic (zeros included), so that the windows below step one month per row.
grid_counts as (
    select
        months.month_start,
        dynamic_labels.growth_dynamic,
        months.latest_event_date,
        coalesce(sum(facts.signups), 0) as signups,
        coalesce(sum(facts.activated_users), 0) as activated_users,
        coalesce(sum(facts.ordering_customers), 0) as ordering_customers,
        coalesce(sum(facts.new_customers), 0) as new_customers,
        coalesce(sum(facts.lapsing_customers), 0) as lapsing_customers
    from months
    cross join dynamic_labels
    left join facts
        on
            months.month_start = facts.month_start
            and (
                dynamic_labels.growth_dynamic = facts.growth_dynamic
                or dynamic_labels.growth_dynamic = 'all'
            )
    group by months.month_start, dynamic_labels.growth_dynamic, months.latest_event_date
),

accounted as (
    select
        month_start,
        growth_dynamic,
        latest_event_date,
        signups,
        activated_users,
        new_customers,
        coalesce(
            sum(new_customers) over (
                partition by growth_dynamic
                order by month_start
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as existing_customers,
        ordering_customers,
        coalesce(
            lag(ordering_customers) over (partition by growth_dynamic order by month_start), 0
        ) as previous_month_customers,
        coalesce(
            lag(lapsing_customers) over (partition by growth_dynamic order by month_start), 0
        ) as churned_customers
    from grid_counts
),

final as (
    select
        month_start,
        growth_dynamic,
        cast(signups as {{ dbt.type_bigint() }}) as signups,
        cast(activated_users as {{ dbt.type_bigint() }}) as activated_users,
        cast(new_customers as {{ dbt.type_bigint() }}) as new_customers,
        cast(existing_customers as {{ dbt.type_bigint() }}) as existing_customers,
        cast(ordering_customers as {{ dbt.type_bigint() }}) as ordering_customers,
        cast(previous_month_customers as {{ dbt.type_bigint() }}) as previous_month_customers,
        cast(churned_customers as {{ dbt.type_bigint() }}) as churned_customers,
        {{ safe_divide('cast(activated_users as ' ~ type_double() ~ ')', 'signups') }}
            as activation_rate,
        {{ safe_divide('cast(new_customers as ' ~ type_double() ~ ')', 'existing_customers') }}
            as new_customers_per_existing_customer,
        {{ safe_divide(
            'cast(churned_customers as ' ~ type_double() ~ ')', 'previous_month_customers'
        ) }} as customer_churn_rate,
        coalesce(
            latest_event_date < cast(
                {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_start')) }} as date
            ),
            true
        ) as is_partial_month
    from accounted
)

select * from final
