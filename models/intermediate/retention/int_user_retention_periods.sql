{#-
    One row per cohort user (a user_key of fct_events with a start event) and period number
    they were active in, plus a period 0 row for a cohort user not active in period 0, so that
    every cohort user has one: the per-user part of agg_retention_cohorts, which counts these
    rows. A user's cohort is the period (var('retention_cohort_grain')) of their first start
    event (var('retention_start_event_names')); they are active in period k when an activity
    event (var('retention_activity_event_names')) at or after that start falls in period
    cohort + k. Incremental: a cohort and its periods depend only on the user's events and
    dim_users row, so each run recomputes whole the users int_users_changed found changed
    since its last run; the pre-hook deletes their stored rows first (delete_changed_users),
    so a vanished user, or one left with no start event, keeps none.
-#}
{#- append: the pre-hook has deleted every stored row of the users the model writes. #}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_users() }}",
    )
}}

-- Read only on incremental runs (also by the pre-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_users_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

{%- set grain = var('retention_cohort_grain') %}
{%- set recomputed = '' %}
{%- if is_incremental() %}
{%- set recomputed = 'where user_key in (' ~ changed_users() ~ ')' %}
{%- endif %}

with events as (
    select * from {{ ref('fct_events') }}
    {{ recomputed }}
),

users as (
    select * from {{ ref('dim_users') }}
    {{ recomputed }}
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

cohorts as (
    select
        starts.user_key,
        starts.started_at,
        {{ reporting_period_start('starts.started_at', grain) }} as cohort_start,
        coalesce(users.acquisition_channel, 'unknown') as acquisition_channel
    from starts
    left join users
        on starts.user_key = users.user_key
),

-- Activity counts from the start event on: an activity event before it (in the cohort period
-- or earlier) is not part of the user's retention.
active_periods as (
    select distinct
        cohorts.user_key,
        {{ periods_between(
            'cohorts.cohort_start', reporting_period_start('events.event_at', grain), grain
        ) }} as period_number
    from cohorts
    inner join events
        on
            cohorts.user_key = events.user_key
            and events.event_at >= cohorts.started_at
    where
        {{ event_name_in(
            'events.event_name', var('retention_activity_event_names'),
            'retention_activity_event_names'
        ) }}
),

periods as (
    select
        user_key,
        period_number,
        true as is_active
    from active_periods

    union all

    -- a cohort user not active in their cohort period still counts in the cohort
    select
        cohorts.user_key,
        cast(0 as {{ dbt.type_bigint() }}) as period_number,
        false as is_active
    from cohorts
    left join active_periods
        on
            cohorts.user_key = active_periods.user_key
            and active_periods.period_number = 0
    where active_periods.user_key is null
),

final as (
    select
        periods.user_key,
        cast(periods.period_number as {{ dbt.type_bigint() }}) as period_number,
        '{{ grain }}' as cohort_grain,
        cohorts.acquisition_channel,
        periods.is_active,
        cohorts.cohort_start,
        {{ run_timestamp() }} as processed_at
    from periods
    inner join cohorts
        on periods.user_key = cohorts.user_key
)

select * from final
