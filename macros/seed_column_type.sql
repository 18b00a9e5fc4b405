{#-
    The engine's name for a seed column type written in the seeds' YAML (`column_types`). The
    YAML says `varchar`, `text` and `double precision`, which DuckDB and PostgreSQL take as
    they are (so there the type is returned unchanged); Spark has none of them and calls them
    `string` and `double`. dbt renders seed YAML without macros, so the translation happens
    where the seed's table is created: spark__create_csv_table and spark__load_csv_rows
    (macros/spark__seed_tables.sql) apply it to every column type.
-#}
{% macro seed_column_type(column_type) -%}
    {{ return(adapter.dispatch('seed_column_type', 'growth_metrics')(column_type)) }}
{%- endmacro %}

{% macro default__seed_column_type(column_type) -%}
    {{ return(column_type) }}
{%- endmacro %}

{% macro spark__seed_column_type(column_type) -%}
    {%- set name = column_type | trim | lower -%}
    {%- if name in ['text', 'varchar', 'character varying'] or name.startswith('varchar(') -%}
        {{ return(dbt.type_string()) }}
    {%- elif name == 'double precision' -%}
        {{ return(dbt.type_float()) }}
    {%- endif -%}
    {{ return(column_type) }}
{%- endmacro %}
