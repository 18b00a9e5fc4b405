{#- True when `expression` contains a match of the regular expression `pattern` (an SQL
    expression: a column of a rules seed, or a literal from macro regex_literal); null when
    either is null. -#}
{% macro regexp_like(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_like', 'growth_metrics')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_like(expression, pattern) -%}
    regexp_like({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro duckdb__regexp_like(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro postgres__regexp_like(expression, pattern) -%}
    ({{ expression }} ~ {{ pattern }})
{%- endmacro %}
