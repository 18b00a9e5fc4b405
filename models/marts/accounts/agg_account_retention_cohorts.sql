{#-
    One row per account cohort (period of the first start event of any of the account's
    users) and period number, from period 0 up to the latest period with data (periods with
    no account active included, as zeros): agg_retention_cohorts with the account as the
    entity. An account's users are those whose latest group call names it
    (dim_users.account_id); the account is active in period k when any of them is active
    (int_user_retention_periods) in period cohort + k. The period grid comes from the time
    spine dim_dates.
-#}
{%- set grain = var('retention_cohort_grain') %}

with user_periods as (
    select * from {{ ref('int_user_retention_periods') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

dates as (
    select * from {{ ref('dim_dates') }}
),

-- read for the latest period with data only
events as (
    select * from {{ ref('fct_events') }}
),

-- Each user's periods on the calendar, with their account's cohort: the earliest cohort of
-- its users (every cohort user has a period 0 row).
member_periods as (
    select
        users.account_id,
        user_periods.is_active,
        cast(
            {{ dbt.dateadd(grain, 'user_periods.period_number', 'user_periods.cohort_start') }}
            as date
        ) as period_start,
        min(user_periods.cohort_start) over (partition by users.account_id) as cohort_start
    from user_periods
    inner join users
        on user_periods.user_key = users.user_key
    where users.account_id is not null
),

cohorts as (
    select
        account_id,
        min(cohort_start) as cohort_start
    from member_periods
    group by account_id
),

active_periods as (
    select distinct
        account_id,
        cohort_start,
        {{ periods_between('cohort_start', 'period_start', grain) }} as period_number
    from member_periods
    where is_active
),

data_end as (
    select
        {{ reporting_period_start('max(event_at)', grain) }} as last_period_start,
        max(event_date) as last_event_date
    from events
),

-- every period start of the time spine up to the latest period with data
period_spine as (
    select dates.date_day as period_start
    from dates
    cross join data_end
    where
        dates.date_day = cast({{ dbt.date_trunc(grain, 'dates.date_day') }} as date)
        and dates.date_day <= data_end.last_period_start
),

cohort_sizes as (
    select
        cohort_start,
        count(*) as cohort_accounts
    from cohorts
    group by cohort_start
),

grid as (
    select
        cohort_sizes.cohort_start,
        cohort_sizes.cohort_accounts,
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
        period_number,
        count(*) as active_accounts
    from active_periods
    group by cohort_start, period_number
),

-- Accounts by the last period they were active in (accounts never active after their
-- start have no row).
last_periods as (
    select
        cohort_start,
        max(period_number) as last_period_number
    from active_periods
    group by account_id, cohort_start
),

last_period_counts as (
    select
        cohort_start,
        last_period_number,
        count(*) as accounts
    from last_periods
    group by cohort_start, last_period_number
),

counted as (
    select
        grid.cohort_start,
        grid.period_number,
        grid.period_start,
        grid.cohort_accounts,
        coalesce(active_counts.active_accounts, 0) as active_accounts,
        -- accounts whose last active period is this one or later: a running sum from the end
        coalesce(sum(coalesce(last_period_counts.accounts, 0)) over (
            partition by grid.cohort_start
            order by grid.period_number desc
            rows between unbounded preceding and current row
        ), 0) as retained_accounts_unbounded
    from grid
    left join active_counts
        on
            grid.cohort_start = active_counts.cohort_start
            and grid.period_number = active_counts.period_number
    left join last_period_counts
        on
            grid.cohort_start = last_period_counts.cohort_start
            and grid.period_number = last_period_counts.last_period_number
),

final as (
    select
        '{{ grain }}' as cohort_grain,
        counted.cohort_start,
        cast(counted.period_number as {{ dbt.type_bigint() }}) as period_number,
        cast(counted.cohort_accounts as {{ dbt.type_bigint() }}) as cohort_accounts,
        cast(counted.active_accounts as {{ dbt.type_bigint() }}) as active_accounts,
        cast(counted.retained_accounts_unbounded as {{ dbt.type_bigint() }})
            as retained_accounts_unbounded,
        cast(counted.active_accounts as {{ type_double() }})
        / counted.cohort_accounts as retention_rate,
        cast(counted.retained_accounts_unbounded as {{ type_double() }})
        / counted.cohort_accounts as retention_rate_unbounded,
        data_end.last_event_date
        < cast({{ dbt.dateadd('day', -1, dbt.dateadd(grain, 1, 'counted.period_start')) }} as date)
            as is_partial_period,
        counted.period_start
    from counted
    cross join data_end
)

select * from final
