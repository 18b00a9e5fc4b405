{#-
    The engine's 64-bit floating-point type: `double precision` on DuckDB and PostgreSQL,
    `double` on Spark. Not dbt.type_float(), which is a 4-byte REAL on DuckDB and a 4-byte
    FLOAT on Spark: ratios and p-values would lose digits.
-#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'growth_metrics')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
