{#-
    One row per user with at least one session: whether they came back, i.e. started a
    session after their first one no later than var('return_window_days') x 24 h after they
    were first seen (inclusive), and how long that took. Incremental: recomputes the users
    int_users_changed found changed since its last run, from all of their events and
    sessions; the pre-hook deletes their stored rows first (delete_changed_users).
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

{%- set window_hours = (var('return_window_days') | int) * 24 %}
{%- set recomputed = '' %}
{%- if is_incremental() %}
{%- set recomputed = 'where user_key in (' ~ changed_users() ~ ')' %}
{%- endif %}

with events as (
    select * from {{ ref('fct_events') }}
    {{ recomputed }}
),

sessions as (
    select * from {{ ref('fct_sessions') }}
    {{ recomputed }}
),

users as (
    select * from {{ ref('dim_users') }}
    {{ recomputed }}
),

first_seen as (
    select
        user_key,
        min(event_at) as first_seen_at
    from events
    group by user_key
),

first_sessions as (
    select
        user_key,
        min(started_at) as first_session_started_at
    from sessions
    group by user_key
),

-- The user's first session that starts strictly after the first one (on any device).
return_sessions as (
    select
        sessions.user_key,
        min(sessions.started_at) as returned_at
    from sessions
    inner join first_sessions
        on
            sessions.user_key = first_sessions.user_key
            and sessions.started_at > first_sessions.first_session_started_at
    group by sessions.user_key
),

final as (
    select
        first_sessions.user_key,
        coalesce(users.acquisition_channel, 'unknown') as acquisition_channel,
        cast({{ var('return_window_days') | int }} as {{ dbt.type_bigint() }})
            as return_window_days,
        {{ seconds_between('first_seen.first_seen_at', 'return_sessions.returned_at') }}
        / 86400 as days_to_return,
        coalesce(
            return_sessions.returned_at
            <= {{ dbt.dateadd('hour', window_hours, 'first_seen.first_seen_at') }},
            false
        ) as returned_within_7d,
        cast(
            {{ to_reporting_timestamp('first_seen.first_seen_at') }} as date
        ) as first_seen_date,
        first_seen.first_seen_at,
        first_sessions.first_session_started_at,
        return_sessions.returned_at,
        {{ run_timestamp() }} as processed_at
    from first_sessions
    inner join first_seen
        on first_sessions.user_key = first_seen.user_key
    left join return_sessions
        on first_sessions.user_key = return_sessions.user_key
    left join users
        on first_sessions.user_key = users.user_key
)

select * from final
