{#-
    `expression` with every match of the regular expression `pattern` (an SQL expression: a
    column, or a literal from macro regex_literal) replaced by `replacement` (an SQL expression;
    a capture group is written with macro regexp_backreference, which the engines spell
    differently, inside macro text_literal). Patterns must be valid in RE2 (DuckDB), PostgreSQL
    ARE and Java (Spark).
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
