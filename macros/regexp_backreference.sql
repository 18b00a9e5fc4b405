{#-
    In the replacement of macro regexp_replace_all, the text of capture group `number`:
    \1 on DuckDB and PostgreSQL, $1 on Spark (Java). Written inside a text literal, e.g.
    text_literal(regexp_backreference(1) ~ '_' ~ regexp_backreference(2)).
-#}
{% macro regexp_backreference(number) -%}
    {{ return(adapter.dispatch('regexp_backreference', 'growth_metrics')(number)) }}
{%- endmacro %}

{% macro default__regexp_backreference(number) -%}
    {{ return('\\' ~ number) }}
{%- endmacro %}

{% macro spark__regexp_backreference(number) -%}
    {{ return('$' ~ number) }}
{%- endmacro %}
