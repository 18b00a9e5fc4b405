{#-
    The engine's name for a data type written in YAML: a seed's `column_types` or a contract's
    `data_type`. The YAML says `text`, `varchar` and `double precision`, which DuckDB and
    PostgreSQL take as they are (so there the type is returned unchanged); Spark has none of
    them and calls them `string` and `double`. dbt renders YAML without macros, so the
    translation happens where the types are used: on Spark, the seed macros
    (macros/spark__seed_tables.sql) and the contract check (spark__get_empty_schema_sql).
-#}
{% macro engine_data_type(data_type) -%}
    {{ return(adapter.dispatch('engine_data_type', 'growth_metrics')(data_type)) }}
{%- endmacro %}

{% macro default__engine_data_type(data_type) -%}
    {{ return(data_type) }}
{%- endmacro %}

{% macro spark__engine_data_type(data_type) -%}
    {%- set name = data_type | trim | lower -%}
    {%- if name in ['text', 'varchar', 'character varying'] or name.startswith('varchar(') -%}
        {{ return(dbt.type_string()) }}
    {%- elif name == 'double precision' -%}
        {{ return(type_double()) }}
    {%- endif -%}
    {{ return(data_type) }}
{%- endmacro %}
