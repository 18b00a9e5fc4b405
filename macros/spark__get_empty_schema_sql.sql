{#-
    The contract check on Spark: dbt casts null to each column's YAML `data_type` and compares
    the result with the model's columns. The types are first translated to Spark's names by
    engine_data_type (the YAML uses the names DuckDB and PostgreSQL share); then dbt's own
    macro builds the query. Spark only.
-#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set typed = {} -%}
    {%- for name, column in columns.items() -%}
        {%- if column['data_type'] is defined and column['data_type'] is not none -%}
            {%- set data_type = engine_data_type(column['data_type']) -%}
            {%- do typed.update({name: dict(column, data_type=data_type)}) -%}
        {%- else -%}
            {%- do typed.update({name: column}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(typed)) }}
{%- endmacro %}
