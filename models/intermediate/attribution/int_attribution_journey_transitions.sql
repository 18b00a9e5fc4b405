{#-
    One row per user_key and observed transition (from_state, to_state) of the user's channel
    journey, with its count: the per-user part of the first-order Markov chain, which
    int_attribution_markov_transitions sums over users. A user's journey is the channels of
    their sessions (started_at, then session_id) up to and including their first completed
    order (ending in (conversion)), or all their sessions when they never ordered (ending in
    (null)); users whose first order comes before any session are left out. Consecutive
    sessions of the same channel count once (no self-loops: a first-order chain's absorption
    probabilities are the same with or without them).
    Incremental: a journey depends only on its user's sessions and first order, so each run
    recomputes whole the users int_users_changed found changed since its last run; the
    pre-hook deletes their stored rows first (delete_changed_users), so a vanished user keeps
    none. The removal effects then read a group by over this table, not every session.
-#}
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

{%- set recomputed = '' %}
{%- if is_incremental() %}
{%- set recomputed = 'where user_key in (' ~ changed_users() ~ ')' %}
{%- endif %}

with sessions as (
    select * from {{ ref('fct_sessions') }}
    {{ recomputed }}
),

orders as (
    select * from {{ ref('fct_orders') }}
    {{ recomputed }}
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
        user_key,
        coalesce(previous_channel, '(start)') as from_state,
        channel as to_state
    from ordered
    where previous_channel is null or previous_channel <> channel

    union all

    -- leaving the last channel of the journey
    select
        user_key,
        channel as from_state,
        case when is_converting then '(conversion)' else '(null)' end as to_state
    from ordered
    where sessions_to_end = 1
),

final as (
    select
        user_key,
        from_state,
        to_state,
        cast(count(*) as {{ dbt.type_bigint() }}) as transitions,
        {{ run_timestamp() }} as processed_at
    from steps
    group by user_key, from_state, to_state
)

select * from final
