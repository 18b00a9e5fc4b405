-- Returns each pair of consecutive sessions of one device that overlap, or that are not
-- separated by more than the session timeout (they should have been one session).
with sessions as (
    select * from {{ ref('fct_sessions') }}
),

ordered as (
    select
        anonymous_id,
        session_id,
        session_number,
        started_at,
        lag(ended_at) over (partition by anonymous_id order by started_at) as previous_ended_at,
        lag(session_number) over (partition by anonymous_id order by started_at)
            as previous_session_number
    from sessions
),

final as (
    select * from ordered
    where
        previous_ended_at is not null
        and (
            started_at
            <= {{ dbt.dateadd('minute', var('session_timeout_minutes'), 'previous_ended_at') }}
            or session_number <> previous_session_number + 1
        )
)

select * from final
