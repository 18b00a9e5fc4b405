{#-
    One row per kept page or track call, sessionized. Incremental: each run recomputes whole
    the timelines (devices, or server-side users) that int_timelines_changed found changed
    since this model's last run (a call staged since, or a user flagged internal since).
    Recomputing the whole timeline re-keys history that a new identity link claims and
    re-sessionizes it, so that a session never splits or duplicates across runs. The stored
    rows of a changed timeline that the run did not write again (all its events are now
    excluded) are deleted by the post-hook (delete_unwritten_timelines).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='timeline_key',
        on_schema_change='fail',
        post_hook="{{ delete_unwritten_timelines('timeline_key') }}",
    )
}}

-- Read only on incremental runs (also by the post-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_timelines_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}
-- and to key the calls of the recomputed timelines (see keyed_events):
-- depends_on: {{ ref('stg_segment__tracks') }}
-- depends_on: {{ ref('stg_segment__pages') }}
-- depends_on: {{ ref('int_anonymous_ids_linked') }}
-- depends_on: {{ ref('int_users_flagged_internal') }}

{%- set timeout_minutes = var('session_timeout_minutes') %}

with
{% if is_incremental() %}
changed_timelines as (
    {{ changed_timelines() }}
),

{% endif %}
events as {{ inline_cte() }} (
    {%- if is_incremental() %}
    {{ keyed_events('changed_timelines') }}
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
