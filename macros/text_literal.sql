{#-
    The SQL string literal for the text `value`, as written in Jinja (backslashes and quotes
    included, unescaped). DuckDB and PostgreSQL (standard_conforming_strings) read a backslash
    as itself and double a quote; Spark reads a backslash as an escape ('\d' is 'd') and takes
    '' between two literals as their concatenation, so there both are backslash-escaped.
-#}
{% macro text_literal(value) -%}
    {{ return(adapter.dispatch('text_literal', 'growth_metrics')(value)) }}
{%- endmacro %}

{% macro default__text_literal(value) -%}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{%- endmacro %}

{% macro spark__text_literal(value) -%}
    {{ return("'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
{%- endmacro %}
