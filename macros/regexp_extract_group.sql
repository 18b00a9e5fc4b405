{#-
    The first capture group of the regular expression `pattern` (its text, written as macro
    regex_literal takes it), or null when the pattern does not match (or matches an empty string).
-#}
{% macro regexp_extract_group(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_extract_group', 'growth_metrics')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_extract_group(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, {{ regex_literal(pattern) }}, 1), '')
{%- endmacro %}

{% macro postgres__regexp_extract_group(expression, pattern) -%}
    nullif(substring({{ expression }} from {{ regex_literal(pattern) }}), '')
{%- endmacro %}
