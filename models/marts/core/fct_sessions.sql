{#-
    One row per session: a device's (anonymous_id's) run of kept events with no gap longer
    than var('session_timeout_minutes'). Incremental: recomputes the devices that
    int_timelines_changed found changed since this model's last run (processed_at), from
    their events in fct_events; the post-hook deletes the stored sessions of those devices
    that the run did not write again (a device left with no kept event: see
    delete_unwritten_timelines).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='anonymous_id',
        on_schema_change='fail',
        post_hook="{{ delete_unwritten_timelines('anonymous_id') }}",
    )
}}

-- Read only on incremental runs (also by the post-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_timelines_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

with events as (
    select * from {{ ref('fct_events') }}
    where session_id is not null
    {%- if is_incremental() %}
        and anonymous_id in ({{ changed_timelines() }})
    {%- endif %}
),

sessions as (
    select
        session_id,
        anonymous_id,
        session_number,
        max(case when is_session_start then user_key end) as user_key,
        max(case when is_session_start then page_path end) as landing_page_path,
        max(case when is_session_start then referrer_host end) as referrer_host,
        max(case when is_session_start then utm_source end) as utm_source,
        max(case when is_session_start then utm_medium end) as utm_medium,
        max(case when is_session_start then utm_campaign end) as utm_campaign,
        max(case when is_session_start then event_source end) as first_event_source,
        cast(count(*) as {{ dbt.type_bigint() }}) as event_count,
        cast(
            sum(case when event_source = 'page' then 1 else 0 end) as {{ dbt.type_bigint() }}
        ) as page_view_count,
        min(event_at) as started_at,
        max(event_at) as ended_at
    from events
    group by session_id, anonymous_id, session_number
),

sources as (
    select distinct
        utm_source,
        utm_medium,
        referrer_host
    from sessions
),

matched_rules as (
    {{ channel_rule_matches('sources') }}
),

final as (
    select
        sessions.session_id,
        sessions.anonymous_id,
        sessions.user_key,
        sessions.session_number,
        sessions.landing_page_path,
        sessions.referrer_host,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        coalesce(matched_rules.channel, '{{ fallback_channel() }}') as channel,
        sessions.event_count,
        sessions.page_view_count,
        {{ seconds_between('sessions.started_at', 'sessions.ended_at') }} as duration_seconds,
        sessions.event_count = 1 and sessions.first_event_source = 'page' as is_bounce,
        cast({{ to_reporting_timestamp('sessions.started_at') }} as date) as started_date,
        sessions.started_at,
        sessions.ended_at,
        {{ run_timestamp() }} as processed_at
    from sessions
    left join matched_rules
        on
            sessions.utm_source is not distinct from matched_rules.utm_source
            and sessions.utm_medium is not distinct from matched_rules.utm_medium
            and sessions.referrer_host is not distinct from matched_rules.referrer_host
)

select * from final
