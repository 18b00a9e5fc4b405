{#-
    One row per cohort (period of the user's first start event), acquisition channel and
    period number, from period 0 up to the latest period with data (periods with nobody active
    included, as zeros). N-period retention counts users active in exactly period k; unbounded
    retention counts users active in period k or any later period. A group by over the
    per-user periods of int_user_retention_periods (incremental).
-#}
{%- set grain = var('retention_cohort_grain') %}

with user_periods as (
    select * from {{ ref('int_user_retention_periods') }}
),

-- read for the latest period with data only
events as (
    select * from {{ ref('fct_events') }}
),

-- every cohort user has a period 0 row
cohorts as (
    select
        user_key,
        cohort_start,
        acquisition_channel
    from user_periods
    where period_number = 0
),

active_periods as (
    select
        user_key,
        cohort_start,
        acquisition_channel,
        period_number
    from user_periods
    where is_active
),

data_end as (
    select
        {{ reporting_period_start('max(event_at)', grain) }} as last_period_start,
        max(event_date) as last_event_date
    from events
),

-- every period from the first cohort's to the latest with data
period_bounds as (
    select
        min(cohorts.cohort_start) as first_period_start,
        max(data_end.last_period_start) as last_period_start
    from cohorts
    cross join data_end
),

period_spine as (
    select {{ date_series('first_period_start', 'last_period_start', grain) }} as period_start
    from period_bounds
),

cohort_sizes as (
    select
        cohort_start,
        acquisition_channel,
        count(*) as cohort_users
    from cohorts
    group by cohort_start, acquisition_channel
),

grid as (
    select
        cohort_sizes.cohort_start,
        cohort_sizes.acquisition_channel,
        cohort_sizes.cohort_users,
        period_spine.period_start,
        {{ periods_between('cohort_sizes.cohort_start', 'period_spine.period_start', grain) }}
            as period_number
    from cohort_sizes
    inner join period_spine
        on cohort_sizes.cohort_start <= period_spine.period_start
),

active_counts as (
    select
        cohort_start,
        acquisition_channel,
        period_number,
        count(*) as active_users
    from active_periods
    group by cohort_start, acquisition_channel, period_number
),

-- Users by the last period they were active in (users never active after their start
-- event have no row).
last_periods as (
    select
        cohort_start,
        acquisition_channel,
        max(period_number) as last_period_number
    from active_periods
    group by user_key, cohort_start, acquisition_channel
),

last_period_counts as (
    select
        cohort_start,
        acquisition_channel,
        last_period_number,
        count(*) as users
    from last_periods
    group by cohort_start, acquisition_channel, last_period_number
),

counted as (
    select
        grid.cohort_start,
        grid.acquisition_channel,
        grid.period_number,
        grid.period_start,
        grid.cohort_users,
        coalesce(active_counts.active_users, 0) as active_users,
        -- users whose last active period is this one or later: a running sum from the end
        coalesce(sum(coalesce(last_period_counts.users, 0)) over (
            partition by grid.cohort_start, grid.acquisition_channel
            order by grid.period_number desc
            rows between unbounded preceding and current row
        ), 0) as retained_users_unbounded
    from grid
    left join active_counts
        on
            grid.cohort_start = active_counts.cohort_start
            and grid.acquisition_channel = active_counts.acquisition_channel
            and grid.period_number = active_counts.period_number
    left join last_period_counts
        on
            grid.cohort_start = last_period_counts.cohort_start
            and grid.acquisition_channel = last_period_counts.acquisition_channel
            and grid.period_number = last_period_counts.last_period_number
),

final as (
    select
        '{{ grain }}' as cohort_grain,
        counted.cohort_start,
        counted.acquisition_channel,
        counted.period_number,
        cast(counted.cohort_users as {{ dbt.type_bigint() }}) as cohort_users,
        cast(counted.active_users as {{ dbt.type_bigint() }}) as active_users,
        cast(counted.retained_users_unbounded as {{ dbt.type_bigint() }})
            as retained_users_unbounded,
        cast(counted.active_users as {{ type_double() }})
        / counted.cohort_users as retention_rate,
        cast(counted.retained_users_unbounded as {{ type_double() }})
        / counted.cohort_users as retention_rate_unbounded,
        data_end.last_event_date
        < cast({{ dbt.dateadd('day', -1, dbt.dateadd(grain, 1, 'counted.period_start')) }} as date)
            as is_partial_period,
        counted.period_start
    from counted
    cross join data_end
)

select * from final
