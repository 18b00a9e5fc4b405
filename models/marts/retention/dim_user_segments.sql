{#-
    One row per signed-up user (not internal, not a bot) whose signup is before the end of the
    as-of date: their activation, core use and segment as of the end of that date (in
    var('reporting_timezone')). Only events before that moment count. Incremental:
    recomputes the users int_users_changed found changed since its last run; when the as-of
    date moved (every segment may change with it), every user. The pre-hook deletes the rows
    recomputed first (delete_changed_users).
-#}
{#- append: the pre-hook has deleted every stored row of the users the model writes. #}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_users(recompute_all=as_of_moved(
            'as_of_date', latest_event_date(date_vars=['segments_as_of_date'])
        )) }}",
    )
}}

-- Read only on incremental runs (also by the pre-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_users_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

{%- set window_days = var('power_user_window_days') | int %}
{%- set as_of_date = date_var('segments_as_of_date') %}
{%- if window_days < 1 %}
    {{ exceptions.raise_compiler_error("var power_user_window_days must be at least 1") }}
{%- endif %}
{%- set recompute_some = is_incremental() and not as_of_moved(
    'as_of_date', latest_event_date(date_vars=['segments_as_of_date'])
) %}

with all_events as (
    select * from {{ ref('fct_events') }}
),

events as (
    select * from all_events
    {%- if recompute_some %}
    where user_key in ({{ changed_users() }})
    {%- endif %}
),

users as (
    select * from {{ ref('dim_users') }}
    {%- if recompute_some %}
    where user_key in ({{ changed_users() }})
    {%- endif %}
),

latest_events as (
    select max(event_date) as latest_event_date
    from all_events
),

as_of_dates as (
    select {{ as_of_date or 'latest_event_date' }} as as_of_date
    from latest_events
),

as_of as (
    select
        as_of_date,
        cast({{ dbt.dateadd('day', -(window_days - 1), 'as_of_date') }} as date)
            as window_start_date,
        {{ from_reporting_timestamp(
            'cast(' ~ dbt.dateadd('day', 1, 'as_of_date') ~ ' as ' ~ dbt.type_timestamp() ~ ')'
        ) }} as as_of_end_at
    from as_of_dates
),

signed_up as (
    select
        users.user_key,
        users.signed_up_at
    from users
    cross join as_of
    where
        users.signed_up_at < as_of.as_of_end_at
        and not users.is_internal
        and not users.is_bot
),

user_events as (
    select
        events.user_key,
        min(
            case
                when events.event_name = '{{ var("activation_event_name") }}'
                    then events.event_at
            end
        ) as activated_at,
        max(
            case
                when {{ event_matches(
                    'events', var('core_action_event_names'),
                    'core_action_event_names', empty_means_any=false
                ) }}
                    then events.event_at
            end
        ) as last_core_action_at,
        count(
            distinct case
                when
                    {{ event_matches(
                        'events', var('core_action_event_names'),
                        'core_action_event_names', empty_means_any=false
                    ) }}
                    and events.event_date >= as_of.window_start_date
                    then events.event_date
            end
        ) as core_active_days
    from events
    cross join as_of
    where events.event_at < as_of.as_of_end_at
    group by events.user_key
),

final as (
    select
        signed_up.user_key,
        {{ user_segment_columns(
            'as_of.as_of_end_at', 'signed_up.signed_up_at', 'user_events.activated_at',
            'user_events.last_core_action_at', 'coalesce(user_events.core_active_days, 0)'
        ) }},
        as_of.as_of_date,
        signed_up.signed_up_at,
        user_events.activated_at,
        user_events.last_core_action_at,
        {{ run_timestamp() }} as processed_at
    from signed_up
    cross join as_of
    left join user_events
        on signed_up.user_key = user_events.user_key
)

select * from final
