{#-
    `expression` with every match of the regular expression `pattern` (an SQL expression, e.g.
    a quoted literal) replaced by `replacement` (an SQL expression; no back-references, which
    the engines write differently). Patterns must be valid in RE2 (DuckDB) and PostgreSQL ARE.
-#}
{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'growth_metrics')(
        expression, pattern, replacement
    )) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{#- Spark replaces every match; its fourth argument is a start position, not flags. -#}
{% macro spark__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}
