{#-
    The value of query parameter `parameter` in a URL, or null when it is absent or empty.
    Matches the exact name only (utm_source does not match xutm_source); stops at "&" or "#".
    The value is URL-decoded ("+" and %XX escapes; see url_decode).
-#}
{% macro url_parameter(url, parameter) -%}
    {{ url_decode(regexp_extract_group(url, '[?&]' ~ parameter ~ '=([^&#]*)')) }}
{%- endmacro %}
