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

{#- Spark's url_decode (Java's URLDecoder) fails on a "%" not followed by two hex digits, so
    such a "%" is first written as %25 (it stays as it is); an escape that is not valid UTF-8
    decodes to U+FFFD, and then the value is kept undecoded as on the other engines. -#}
{% macro spark__url_decode(expression) -%}
    {%- set lone_percent = regex_literal('%(?![0-9A-Fa-f]{2})') -%}
    {%- set decoded -%}
        try_url_decode(regexp_replace({{ expression }}, {{ lone_percent }}, '%25'))
    {%- endset -%}
    case
        when {{ decoded }} like '%\uFFFD%' and {{ expression }} not like '%\uFFFD%'
            then replace({{ expression }}, '+', ' ')
        else coalesce({{ decoded }}, replace({{ expression }}, '+', ' '))
    end
{%- endmacro %}
