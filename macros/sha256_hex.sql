{#- The SHA-256 digest of text `expression` (its UTF-8 bytes) as 64 lowercase hex digits. -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex', 'growth_metrics')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro postgres__sha256_hex(expression) -%}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}

{% macro spark__sha256_hex(expression) -%}
    sha2(cast({{ expression }} as binary), 256)
{%- endmacro %}
