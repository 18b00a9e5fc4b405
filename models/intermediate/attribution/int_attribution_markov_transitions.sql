{#-
    The first-order Markov chain of channel journeys: one row per observed transition
    (from_state, to_state) with its count and probability. A user's journey is the channels of
    their sessions (started_at, then session_id) up to and including their first completed
    order (ending in (conversion)), or all their sessions when they never ordered (ending in
    (null)); users whose first order comes before any session are left out. Consecutive
    sessions of the same channel count once (no self-loops: a first-order chain's absorption
    probabilities are the same with or without them).
-#}
with sessions as (
    select * from {{ ref('fct_sessions') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

first_orders as (
    select
        user_key,
        ordered_at as first_order_at
    from orders
    where is_first_order
),

journey_sessions as (
    select
        sessions.user_key,
        sessions.session_id,
        sessions.channel,
        sessions.started_at,
        first_orders.user_key is not null as is_converting
    from sessions
    left join first_orders
        on sessions.user_key = first_orders.user_key
    where
        first_orders.user_key is null
        or sessions.started_at <= first_orders.first_order_at
),

ordered as (
    select
        *,
        lag(channel) over (
            partition by user_key
            order by started_at, session_id
        ) as previous_channel,
        row_number() over (
            partition by user_key
            order by started_at desc, session_id desc
        ) as sessions_to_end
    from journey_sessions
),

steps as (
    -- entering a channel (from the start, or from a different channel)
    select
        coalesce(previous_channel, '(start)') as from_state,
        channel as to_state
    from ordered
    where previous_channel is null or previous_channel <> channel

    union all

    -- leaving the last channel of the journey
    select
        channel as from_state,
        case when is_converting then '(conversion)' else '(null)' end as to_state
    from ordered
    where sessions_to_end = 1
),

counted as (
    select
        from_state,
        to_state,
        count(*) as transitions
    from steps
    group by from_state, to_state
),

final as (
    select
        from_state,
        to_state,
        cast(transitions as {{ dbt.type_bigint() }}) as transitions,
        cast(transitions as double precision) / cast(
            sum(transitions) over (partition by from_state) as double precision
        ) as probability
    from counted
)

select * from final
