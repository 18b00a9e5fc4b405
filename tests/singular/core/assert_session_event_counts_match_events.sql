-- The events of all sessions add up to the events that have an anonymous_id, device by
-- device. Returns each device where they differ.
with events as (
    select
        anonymous_id,
        count(*) as events
    from {{ ref('fct_events') }}
    where anonymous_id is not null
    group by anonymous_id
),

sessions as (
    select
        anonymous_id,
        sum(event_count) as session_events
    from {{ ref('fct_sessions') }}
    group by anonymous_id
),

final as (
    select
        coalesce(events.anonymous_id, sessions.anonymous_id) as anonymous_id,
        events.events,
        sessions.session_events
    from events
    full outer join sessions
        on events.anonymous_id = sessions.anonymous_id
    where events.events is distinct from sessions.session_events
)

select * from final
