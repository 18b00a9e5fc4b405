{#-
    The relation a model of this project stored in an earlier run, or none (not built yet, in a
    unit test, or while dbt parses). Read without ref() on purpose, and only by
    stg_privacy__erased_identities: it runs before the base models (they read it), so what it
    finds is their state as the previous run left it; a ref() would be a cycle.
-#}
{% macro stored_model_relation(model_name) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
    {%- if node is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(node.database, node.schema, node.alias or node.name)) }}
{%- endmacro %}
