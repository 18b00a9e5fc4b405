{#- The host of an absolute URL, lowercased ("https://www.Google.com/x" gives www.google.com). -#}
{% macro url_host(url) -%}
    lower({{ regexp_extract_group(url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#:@]+)') }})
{%- endmacro %}
