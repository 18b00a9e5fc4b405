{#-
    One row per user_key and week (starting Monday, in var('reporting_timezone')) with any
    event in fct_events: whether the user did an engagement event (var('engagement_event_names'))
    that week. The per-user part of agg_engagement_weekly, which counts these rows.
    Incremental: a user's weeks depend only on their own events, so each run recomputes whole
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

user_weeks as (
    select
        user_key,
        {{ reporting_period_start('event_at', 'week') }} as week_start,
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
    group by user_key, {{ reporting_period_start('event_at', 'week') }}
),

final as (
    select
        user_key,
        week_start,
        engagement_flag = 1 as is_engaged,
        {{ run_timestamp() }} as processed_at
    from user_weeks
)

select * from final
