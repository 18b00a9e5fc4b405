{#-
    The funnel entities (entity_key) an incremental run of fct_funnel_steps recomputes: those
    with a row int_funnel_entity_events wrote since fct_funnel_steps' last run (the changed
    users, as users and in their accounts' streams now), and those whose stored best path
    has a step event that is no longer in the entity's stream (a user who left the account,
    a device's anonymous key gone to its user, an erased person). An entity that only lost
    events its best path does not use keeps its result: removing such events can delay a
    pick of another attempt, never improve one. Read the same way by the model and by its
    post-hook (delete_unwritten_funnel_entities), since last_processed_at leaves the current
    run's rows out and this run's rows are in the entity's stream.
-#}
{% macro changed_funnel_entities() -%}
    {%- set stored_key = funnel_entity_key(
        'stored.funnel_name', 'stored.entity_type', 'stored.entity_id'
    ) %}
    select entity_events.entity_key
    from {{ ref('int_funnel_entity_events') }} as entity_events
    where entity_events.processed_at > {{ last_processed_at() }}
    union
    select {{ stored_key }} as entity_key
    from {{ this }} as stored
    where not exists (
        select 1
        from {{ ref('int_funnel_entity_events') }} as entity_events
        where
            entity_events.entity_key = {{ stored_key }}
            and entity_events.step_number = stored.step_number
            and entity_events.event_id = stored.event_id
    )
{%- endmacro %}

{#-
    Post-hook of fct_funnel_steps: deletes the stored rows of a recomputed entity that this
    run did not write again (an entity that now reaches fewer steps, or none: delete+insert
    replaces only the keys it inserts).
-#}
{% macro delete_unwritten_funnel_entities() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            processed_at < {{ run_timestamp() }}
            and {{ funnel_entity_key('funnel_name', 'entity_type', 'entity_id') }}
            in ({{ changed_funnel_entities() }})
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
