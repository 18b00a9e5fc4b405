{#-
    The value of query parameter `parameter` in a URL, or null when it is absent or empty.
    Matches the exact name only (utm_source does not match xutm_source); stops at "&" or "#".
    "+" and "%20" are decoded to a space; other percent-escapes are left as they are.
-#}
{% macro url_parameter(url, parameter) -%}
    replace(replace(
        {{ regexp_extract_group(url, '[?&]' ~ parameter ~ '=([^&#]*)') }},
        '+', ' '), '%20', ' ')
{%- endmacro %}
