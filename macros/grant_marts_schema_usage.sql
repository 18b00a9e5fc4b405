{#-
    on-run-end: grants usage of the marts schema to the roles in var('bi_roles'), which the
    marts' `grants` config lets select from every mart. dbt grants privileges on the tables it
    builds, never on their schema, and a role needs both. Returns one statement (or a no-op).
    A no-op on engines without roles (DuckDB) and when no mart was built in the run.
-#}
{% macro grant_marts_schema_usage() -%}
    {{ return(adapter.dispatch('grant_marts_schema_usage', 'growth_metrics')()) }}
{%- endmacro %}

{% macro default__grant_marts_schema_usage() -%}
    select 1
{%- endmacro %}

{% macro postgres__grant_marts_schema_usage() -%}
    {%- set roles = var('bi_roles') -%}
    {%- set marts_schema = generate_schema_name('marts', none) -%}
    {%- set marts_built = execute and results | selectattr('node.schema', 'equalto', marts_schema)
        | list | length > 0 -%}
    {%- if roles and marts_built -%}
        grant usage on schema {{ adapter.quote(marts_schema) }} to
        {%- for role in roles %} {{ adapter.quote(role) }}{{ ',' if not loop.last }}{% endfor %}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
