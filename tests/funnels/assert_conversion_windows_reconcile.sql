-- agg_conversion_windows adds up to fct_order_conversion: for every window the users of all
-- cohorts and channels are the whole population, and the same_day and 7d conversions equal
-- the converted_same_day and converted_within_7d flags (when those windows are configured).
-- Returns each window that does not add up.
with windows as (
    select * from {{ ref('agg_conversion_windows') }}
),

conversions as (
    select * from {{ ref('fct_order_conversion') }}
),

population as (
    select
        count(*) as users,
        sum(case when converted_same_day then 1 else 0 end) as same_day_users,
        sum(case when converted_within_7d then 1 else 0 end) as within_7d_users
    from conversions
),

totals as (
    select
        conversion_window,
        sum(users) as users,
        sum(converted_users) as converted_users
    from windows
    group by conversion_window
),

final as (
    select totals.conversion_window
    from totals
    cross join population
    where
        totals.users <> population.users
        or (
            totals.conversion_window = 'same_day'
            and totals.converted_users <> population.same_day_users
        )
        or (
            totals.conversion_window = '7d'
            and totals.converted_users <> population.within_7d_users
        )
)

select * from final
