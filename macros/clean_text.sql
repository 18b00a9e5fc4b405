{#- Trimmed text, with empty strings as null: raw warehouses deliver both for "no value". -#}
{% macro clean_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
