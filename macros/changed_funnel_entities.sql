{#-
    The funnel entities (entity_key) an incremental run of fct_funnel_steps recomputes whole:
    those int_funnel_entities_changed found changed since the model's last run. Read the same
    way by the model and by its post-hook (delete_unwritten_funnel_entities), since
    last_processed_at leaves the current run's rows out. A subquery on the table itself, not a
    CTE, so that PostgreSQL estimates it from the table's statistics.
-#}
{% macro changed_funnel_entities() -%}
    select changed.entity_key
    from {{ ref('int_funnel_entities_changed') }} as changed
    where changed.processed_at > {{ last_processed_at() }}
{%- endmacro %}

{#-
    True when an incremental run of fct_funnel_steps must recompute every entity: the funnel
    definitions differ from those it recorded (macro funnel_definitions: a window or a step
    changed), or an identity was erased since its last run (the erased person's account is
    no longer recorded anywhere; erasures are rare).
-#}
{% macro funnel_steps_recompute_all() -%}
    {{ return(funnel_definitions_changed() or erased_since()) }}
{%- endmacro %}

{#-
    Post-hook of fct_funnel_steps: deletes the stored rows of a recomputed entity that this
    run did not write again (an entity that now reaches fewer steps, or none: delete+insert
    replaces only the keys it inserts); every row not written by this run when it recomputed
    every entity.
-#}
{% macro delete_unwritten_funnel_entities() -%}
    {%- if is_incremental() -%}
        {%- set condition -%}
            processed_at < {{ run_timestamp() }}
            {%- if not funnel_steps_recompute_all() %}
            and {{ funnel_entity_key('funnel_name', 'entity_type', 'entity_id') }}
            in ({{ changed_funnel_entities() }})
            {%- endif %}
        {%- endset -%}
        {{ delete_rows(condition) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
