{#-
    One row per user_key: every identified user and every anonymous visitor never linked to a
    user, bots and internal users included (flagged), plus users known only from an order.
    Incremental: each run recomputes the users whose row may have changed since its last run
    (see macro users_to_recompute), from all of their inputs; the post-hook deletes those left
    with no row.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='user_key',
        on_schema_change='fail',
        post_hook="{{ delete_vanished_users() }}",
    )
}}

-- Read only on incremental runs, declared here so that dbt orders the build:
-- depends_on: {{ ref('base_segment__identifies') }}
-- depends_on: {{ ref('base_segment__groups') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

{%- set recomputed = 'in (select affected_users.user_key from affected_users)' %}

with
{% if is_incremental() %}
affected_users as (
    {{ users_to_recompute() }}
),

{% endif %}
user_timelines as (
    select * from {{ ref('int_user_timelines') }}
    {%- if is_incremental() %}
    where user_key {{ recomputed }}
    {%- endif %}
),

identifies as (
    select * from {{ ref('stg_segment__identifies') }}
    {%- if is_incremental() %}
    where user_id {{ recomputed }}
    {%- endif %}
),

group_calls as (
    select * from {{ ref('stg_segment__groups') }}
    {%- if is_incremental() %}
    where user_id {{ recomputed }}
    {%- endif %}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
    {%- if is_incremental() %}
    where user_id {{ recomputed }}
    {%- endif %}
),

sessions as (
    select * from {{ ref('fct_sessions') }}
    {%- if is_incremental() %}
    where user_key {{ recomputed }}
    {%- endif %}
),

internal_users as (
    select * from {{ ref('int_users_flagged_internal') }}
),

-- int_user_timelines sums the events up per timeline (device) and user: a user's figures
-- are those of all the timelines their events are on.
event_users as (
    select
        user_key,
        max(user_id) as user_id,
        min(first_seen_at) as first_seen_at,
        min(signed_up_at) as signed_up_at,
        {{ dbt.bool_or('has_human_events') }} as has_human_events
    from user_timelines
    group by user_key
),

order_users as (
    select
        user_id as user_key,
        min(case when is_completed then ordered_at end) as first_order_at
    from orders
    group by user_id
),

all_users as (
    select user_key from event_users
    union
    select user_key from order_users
),

latest_identify as (
    select
        user_id,
        email_hash,
        region,
        heard_about,
        row_number() over (partition by user_id order by event_at desc, identify_id desc)
            as recency
    from identifies
    where user_id is not null
),

identify_traits as (
    select
        user_id,
        max(case when recency = 1 then email_hash end) as email_hash,
        max(case when recency = 1 then region end) as region,
        max(case when recency = 1 then heard_about end) as heard_about
    from latest_identify
    group by user_id
),

latest_group as (
    select
        user_id,
        account_id,
        row_number() over (partition by user_id order by event_at desc, group_call_id desc)
            as recency
    from group_calls
    where user_id is not null
),

first_sessions as (
    select
        user_key,
        {{ first_in_order('channel', ['started_at', 'session_id']) }} as channel
    from sessions
    group by user_key
),

final as (
    select
        all_users.user_key,
        coalesce(event_users.user_id, order_users.user_key) as user_id,
        latest_group.account_id,
        identify_traits.email_hash,
        first_sessions.channel as acquisition_channel,
        identify_traits.region,
        identify_traits.heard_about,
        internal_users.user_id is not null as is_internal,
        coalesce(not event_users.has_human_events, false) as is_bot,
        cast({{ to_reporting_timestamp('event_users.first_seen_at') }} as date) as first_seen_date,
        cast({{ to_reporting_timestamp('event_users.signed_up_at') }} as date) as signed_up_date,
        event_users.first_seen_at,
        event_users.signed_up_at,
        order_users.first_order_at,
        {{ run_timestamp() }} as processed_at
    from all_users
    left join event_users
        on all_users.user_key = event_users.user_key
    left join order_users
        on all_users.user_key = order_users.user_key
    left join identify_traits
        on all_users.user_key = identify_traits.user_id
    left join latest_group
        on all_users.user_key = latest_group.user_id and latest_group.recency = 1
    left join first_sessions
        on all_users.user_key = first_sessions.user_key
    left join internal_users
        on all_users.user_key = internal_users.user_id
)

select * from final
