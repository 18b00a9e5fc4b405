{#-
    One row per funnel step, entity and event that can reach the step: the input of
    fct_funnel_steps, stored as a table so that the database plans the step loop on its real
    row counts (see fct_funnel_steps). Entities: the user (user_key), and the user's account
    (dim_users.account_id), whose stream is made of the events of all its users. An event
    matches a step by name, page pattern and property condition (funnel_steps seed); only
    events of some step are read.

    Incremental: a run recomputes the rows of the users int_users_changed found changed since
    its last one (their events, as a user and in their account's stream; the pre-hook
    deletes their stored rows first), or every row when the funnel definitions changed
    (macro funnel_definitions).
-#}
{%- set recompute_all = funnel_definitions_changed() %}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_users(recompute_all=funnel_definitions_changed()) }}",
        post_hook="{{ record_funnel_definitions() }}",
    )
}}

-- Read only on incremental runs (also by the pre-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_users_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

with events as (
    select * from {{ ref('fct_events') }}
    {%- if is_incremental() and not recompute_all %}
    where user_key in ({{ changed_users() }})
    {%- endif %}
),

users as (
    select * from {{ ref('dim_users') }}
),

funnel_steps as (
    select * from {{ ref('funnel_steps') }}
),

event_properties as (
    select * from {{ ref('fct_event_properties') }}
),

-- One row per (event, funnel step) that the event can reach: its name, page and property
-- (one property row at most: fct_event_properties is unique on event and property).
step_events as (
    select
        funnel_steps.funnel_name,
        funnel_steps.step_number,
        events.event_id,
        events.user_key,
        events.event_at
    from events
    inner join funnel_steps
        on
            events.event_name = funnel_steps.event_name
            and (
                funnel_steps.page_path_pattern is null
                or events.page_path like funnel_steps.page_path_pattern
            )
    left join event_properties
        on
            events.event_id = event_properties.event_id
            and funnel_steps.property_name = event_properties.property_name
    where
        funnel_steps.property_name is null
        or {{ property_value_matches('event_properties', 'funnel_steps.property_value') }}
),

-- The same events in the stream of each entity: the user, and the user's account.
entity_streams as (
    select
        funnel_name,
        step_number,
        'user' as entity_type,
        user_key as entity_id,
        user_key,
        event_id,
        event_at
    from step_events
    union all
    select
        step_events.funnel_name,
        step_events.step_number,
        'account' as entity_type,
        users.account_id as entity_id,
        step_events.user_key,
        step_events.event_id,
        step_events.event_at
    from step_events
    inner join users
        on step_events.user_key = users.user_key
    where users.account_id is not null
),

final as (
    select
        funnel_name,
        cast(step_number as {{ dbt.type_bigint() }}) as step_number,
        entity_type,
        entity_id,
        {{ funnel_entity_key('funnel_name', 'entity_type', 'entity_id') }} as entity_key,
        user_key,
        event_id,
        event_at,
        {{ run_timestamp() }} as processed_at
    from entity_streams
)

select * from final
