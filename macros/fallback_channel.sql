{#- The channel of a session (or spend row) that no channel_rules rule matches. -#}
{% macro fallback_channel() -%}
    {{ return('direct') }}
{%- endmacro %}
