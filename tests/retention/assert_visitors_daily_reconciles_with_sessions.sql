-- agg_visitors_daily adds up to fct_sessions: its sessions to every session, its new
-- visitors to every user with a session (each is new exactly once). Returns a row if not.
with sessions as (
    select * from {{ ref('fct_sessions') }}
),

visitors_daily as (
    select * from {{ ref('agg_visitors_daily') }}
),

expected as (
    select
        count(*) as sessions,
        count(distinct user_key) as users
    from sessions
),

actual as (
    select
        coalesce(sum(sessions), 0) as sessions,
        coalesce(sum(new_visitors), 0) as users
    from visitors_daily
),

final as (
    select
        expected.sessions as expected_sessions,
        actual.sessions as actual_sessions,
        expected.users as expected_new_visitors,
        actual.users as actual_new_visitors
    from expected
    cross join actual
    where expected.sessions != actual.sessions or expected.users != actual.users
)

select * from final
