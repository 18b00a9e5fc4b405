{#-
    A fingerprint of everything fct_tracking_plan_violations checks the calls against: the
    tracking_plan seed's rules and the per-event tables' property columns (`tables`, from
    event_property_columns: a new column can be an unplanned property of every stored call).
    The model records it (post-hook, see recorded_definitions) and recomputes every call when
    an incremental run finds another one. None outside a run (parsing, unit tests, a seed not
    built yet).
-#}
{% macro tracking_plan_definitions(tables) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set seed = load_relation(ref('tracking_plan')) -%}
    {%- if seed is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query -%}
        select event_name, property_name, property_type, is_required, allowed_values
        from {{ seed }}
        order by event_name, property_name
    {%- endset -%}
    {%- set rows = run_query(query).rows | map('list') | list | string -%}
    {{ return(
        'tracking plan: ' ~ local_md5(rows)
        ~ '; properties: ' ~ local_md5(event_property_signature(tables))
    ) }}
{%- endmacro %}
