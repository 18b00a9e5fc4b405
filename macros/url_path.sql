{#- The path of an absolute URL (https://host/a/b?x=1#y gives /a/b); null when it has none. -#}
{% macro url_path(url) -%}
    {{ regexp_extract_group(url, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*(/[^?#]*)') }}
{%- endmacro %}
