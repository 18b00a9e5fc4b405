{#-
    Percent-decodes text as it appears in a URL query value: "+" becomes a space and %XX
    escapes become the UTF-8 characters they encode (caf%C3%A9+sale gives "café sale").
    A value whose escapes do not decode to valid UTF-8 is returned as it is, not an error.
-#}
{% macro url_decode(expression) -%}
    {{ return(adapter.dispatch('url_decode', 'growth_metrics')(expression)) }}
{%- endmacro %}

{% macro default__url_decode(expression) -%}
    replace({{ expression }}, '+', ' ')
{%- endmacro %}

{% macro duckdb__url_decode(expression) -%}
    coalesce(
        try(url_decode(replace({{ expression }}, '+', ' '))),
        replace({{ expression }}, '+', ' ')
    )
{%- endmacro %}

{#- Postgres has no URL decoder: create_udfs() installs growth_url_decode. -#}
{% macro postgres__url_decode(expression) -%}
    {{ target.schema }}.growth_url_decode({{ expression }})
{%- endmacro %}
