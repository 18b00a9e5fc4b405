{#-
    One row per user_key, period grain (week starting Monday, and month, in
    var('reporting_timezone')) and period with any event in fct_events: whether the user did an
    engagement event (var('engagement_event_names')) in that period. The per-user part of
    agg_engagement_weekly and agg_engagement_monthly, which count these rows.
    Incremental: a user's periods depend only on their own events, so each run recomputes whole
    the users int_users_changed found changed since its last run; the pre-hook deletes their
    stored rows first (delete_changed_users), so a vanished user keeps none.
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

{%- set recomputed = '' %}
{%- if is_incremental() %}
{%- set recomputed = 'where user_key in (' ~ changed_users() ~ ')' %}
{%- endif %}

with events as (
    select * from {{ ref('fct_events') }}
    {{ recomputed }}
),

-- event_date is the event's date in the reporting time zone: weeks and months are made of
-- whole local days.
user_days as (
    select
        user_key,
        event_date,
        max(
            case
                when {{ event_matches(
                    '', var('engagement_event_names'), 'engagement_event_names',
                    empty_means_any=false
                ) }}
                    then 1
                else 0
            end
        ) as engagement_flag
    from events
    group by user_key, event_date
),

user_periods as (
    select
        user_key,
        'week' as period_grain,
        cast({{ dbt.date_trunc('week', 'event_date') }} as date) as period_start,
        max(engagement_flag) as engagement_flag
    from user_days
    group by user_key, cast({{ dbt.date_trunc('week', 'event_date') }} as date)

    union all

    select
        user_key,
        'month' as period_grain,
        cast({{ dbt.date_trunc('month', 'event_date') }} as date) as period_start,
        max(engagement_flag) as engagement_flag
    from user_days
    group by user_key, cast({{ dbt.date_trunc('month', 'event_date') }} as date)
),

final as (
    select
        user_key,
        period_grain,
        period_start,
        engagement_flag = 1 as is_engaged,
        {{ run_timestamp() }} as processed_at
    from user_periods
)

select * from final
