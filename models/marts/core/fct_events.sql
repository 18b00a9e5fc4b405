{#-
    One row per kept page or track call, sessionized. Incremental: each run recomputes whole
    the timelines (devices, or server-side users) with a call that the Segment base models
    staged since this model's last run (new calls, and copies whose delivery number changed:
    see staged_rows), plus the timelines of internal users with an identify staged since (an
    identify can make a user internal). Recomputing the whole timeline re-keys history that a
    new identity link claims and re-sessionizes it, so that a session never splits or
    duplicates across runs. A timeline whose every event is now excluded is removed by the
    post-hook, which applies the same exclusion rule to what is already stored.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='timeline_key',
        on_schema_change='fail',
        post_hook="{{ delete_excluded_events() }}",
    )
}}

-- Read only on incremental runs, declared here so that dbt orders the build:
-- depends_on: {{ ref('base_segment__tracks') }}
-- depends_on: {{ ref('base_segment__pages') }}
-- depends_on: {{ ref('base_segment__identifies') }}
-- depends_on: {{ ref('base_segment__groups') }}
-- and to key the calls of the recomputed timelines (see keyed_events):
-- depends_on: {{ ref('stg_segment__tracks') }}
-- depends_on: {{ ref('stg_segment__pages') }}
-- depends_on: {{ ref('int_anonymous_ids_linked') }}
-- depends_on: {{ ref('int_users_flagged_internal') }} (also read by the post-hook)

{%- set timeout_minutes = var('session_timeout_minutes') %}
{%- if is_incremental() %}
    {%- set processed_after = last_processed_at() %}
{%- endif %}

with
{% if is_incremental() %}
-- Users with an identify staged since who are internal: the identify may have made them so
-- (an internal email domain). Their timelines are re-sessionized without their events.
identified_internal_users as (
    select distinct identifies.user_id
    from {{ ref('base_segment__identifies') }} as identifies
    where
        identifies.quarantine_reason is null
        and identifies.staged_at > {{ processed_after }}
        and identifies.user_id in (
            select internal_users.user_id
            from {{ ref('int_users_flagged_internal') }} as internal_users
        )
),

affected_timelines as (
    {{ timelines_with_calls_staged_since(processed_after) }}
    union
    select stored.timeline_key
    from {{ this }} as stored
    inner join identified_internal_users
        on stored.user_key = identified_internal_users.user_id
),

{% endif %}
events as {{ inline_cte() }} (
    {%- if is_incremental() %}
    {{ keyed_events('affected_timelines') }}
    {%- else %}
    select * from {{ ref('int_events_keyed') }}
    {%- endif %}
),

recomputed as {{ inline_cte() }} (
    select * from events
    where not is_bot and not is_internal
),

-- Sessions are numbered on a narrow projection (the device, time and id of each event) and
-- joined back: sorting every column of every event, twice, cost more than the join.
gaps as (
    select
        event_id,
        event_source,
        anonymous_id,
        event_at,
        case
            when
                lag(event_at) over (
                    partition by anonymous_id order by event_at, event_id
                ) >= {{ dbt.dateadd('minute', -1 * timeout_minutes, 'event_at') }}
                then 0
            else 1
        end as starts_session
    from recomputed
    where anonymous_id is not null
),

session_numbers as (
    select
        event_id,
        event_source,
        starts_session = 1 as is_session_start,
        sum(starts_session) over (
            partition by anonymous_id
            order by event_at, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from gaps
),

numbered as (
    select
        recomputed.*,
        session_numbers.session_number,
        session_numbers.is_session_start
    from recomputed
    left join session_numbers
        on
            recomputed.event_id = session_numbers.event_id
            and recomputed.event_source = session_numbers.event_source
),

final as (
    select
        event_id,
        case
            when anonymous_id is not null
                then {{ surrogate_key(['anonymous_id', 'session_number']) }}
        end as session_id,
        user_key,
        timeline_key,
        anonymous_id,
        user_id,
        event_name,
        event_source,
        page_path,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        cast(session_number as {{ dbt.type_bigint() }}) as session_number,
        coalesce(is_session_start, false) as is_session_start,
        cast({{ to_reporting_timestamp('event_at') }} as date) as event_date,
        event_at,
        received_at,
        {{ run_timestamp() }} as processed_at
    from numbered
)

select * from final
