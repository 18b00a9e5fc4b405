{#-
    A fingerprint of everything the funnels are defined by: the funnel_steps seed's rows and
    var('funnel_conversion_window_days'). int_funnel_entity_events records it (its table
    comment, post-hook record_funnel_definitions; see recorded_definitions) and, when an
    incremental run finds another one (a step edited, a funnel added or removed, a window
    changed), recomputes every entity instead of the changed users only; fct_funnel_steps then
    recomputes every entity too. None outside a run (parsing, unit tests, a seed not built
    yet).
-#}
{% macro funnel_definitions() -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set seed = load_relation(ref('funnel_steps')) -%}
    {%- if seed is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query -%}
        select
            funnel_name,
            step_number,
            event_name,
            page_path_pattern,
            property_name,
            property_value,
            conversion_window_days
        from {{ seed }}
        order by funnel_name, step_number
    {%- endset -%}
    {%- set rows = run_query(query).rows -%}
    {%- set text = rows | map('list') | list | string ~ var('funnel_conversion_window_days') -%}
    {{ return('funnel definitions: ' ~ local_md5(text)) }}
{%- endmacro %}

{#- True in an incremental run whose funnel definitions differ from those recorded. -#}
{% macro funnel_definitions_changed() -%}
    {{ return(definitions_changed(funnel_definitions())) }}
{%- endmacro %}

{% macro record_funnel_definitions() -%}
    {{ record_definitions(funnel_definitions()) }}
{%- endmacro %}
