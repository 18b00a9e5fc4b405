-- agg_retention_cohorts is internally consistent and complete. Returns each offending row:
-- - active_users <= retained_users_unbounded <= cohort_users;
-- - unbounded retention never grows with the period number;
-- - every cohort has one row per period from 0 to the latest (no gaps), the same cohort_users
--   in each;
-- and, per cohort period, cohort users match a count made here from fct_events (users by the
-- period of their first start event).
{%- set grain = var('retention_cohort_grain') %}

with events as (
    select * from {{ ref('fct_events') }}
),

cohorts as (
    select * from {{ ref('agg_retention_cohorts') }}
),

starts as (
    select
        user_key,
        min(event_at) as started_at
    from events
    where
        {{ event_name_in(
            'event_name', var('retention_start_event_names'), 'retention_start_event_names'
        ) }}
    group by user_key
),

expected_sizes as (
    select
        {{ reporting_period_start('started_at', grain) }} as cohort_start,
        count(*) as cohort_users
    from starts
    group by {{ reporting_period_start('started_at', grain) }}
),

actual_sizes as (
    select
        cohort_start,
        sum(cohort_users) as cohort_users
    from cohorts
    where period_number = 0
    group by cohort_start
),

size_mismatches as (
    select
        coalesce(expected_sizes.cohort_start, actual_sizes.cohort_start) as cohort_start,
        cast(null as {{ dbt.type_string() }}) as acquisition_channel,
        cast(null as {{ dbt.type_bigint() }}) as period_number,
        'cohort size differs from fct_events' as problem
    from expected_sizes
    full outer join actual_sizes
        on expected_sizes.cohort_start = actual_sizes.cohort_start
    where expected_sizes.cohort_users is distinct from actual_sizes.cohort_users
),

sequenced as (
    select
        cohort_start,
        acquisition_channel,
        period_number,
        cohort_users,
        active_users,
        retained_users_unbounded,
        lag(retained_users_unbounded) over (
            partition by cohort_start, acquisition_channel order by period_number
        ) as previous_unbounded,
        lag(cohort_users) over (
            partition by cohort_start, acquisition_channel order by period_number
        ) as previous_cohort_users,
        row_number() over (
            partition by cohort_start, acquisition_channel order by period_number
        ) - 1 as expected_period_number
    from cohorts
),

row_problems as (
    select
        cohort_start,
        acquisition_channel,
        period_number,
        case
            when active_users > retained_users_unbounded then 'active above unbounded'
            when retained_users_unbounded > cohort_users then 'unbounded above cohort size'
            when retained_users_unbounded > previous_unbounded then 'unbounded grows'
            when cohort_users != previous_cohort_users then 'cohort size changes'
            when period_number != expected_period_number then 'period numbers have a gap'
        end as problem
    from sequenced
),

final as (
    select
        cohort_start,
        acquisition_channel,
        period_number,
        problem
    from row_problems
    where problem is not null
    union all
    select
        cohort_start,
        acquisition_channel,
        period_number,
        problem
    from size_mismatches
)

select * from final
