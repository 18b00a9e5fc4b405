-- Every session has exactly one is_session_start event, and it is the session's first event
-- (earliest event_at, then lowest event_id); server-side calls are never a session start.
-- Returns each session (or server-side call) that breaks this.
with events as (
    select * from {{ ref('fct_events') }}
),

first_events as (
    select
        session_id,
        event_id,
        is_session_start,
        row_number() over (partition by session_id order by event_at, event_id) as event_number
    from events
    where session_id is not null
),

sessions as (
    select
        session_id,
        sum(case when is_session_start then 1 else 0 end) as session_starts,
        max(case when event_number = 1 and is_session_start then 1 else 0 end) as first_is_start
    from first_events
    group by session_id
),

final as (
    select
        session_id,
        cast(null as {{ dbt.type_string() }}) as event_id
    from sessions
    where session_starts <> 1 or first_is_start <> 1
    union all
    select
        session_id,
        event_id
    from events
    where session_id is null and is_session_start
)

select * from final
