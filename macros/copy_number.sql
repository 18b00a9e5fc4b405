{#-
    Numbers identical raw rows (same row_fingerprint) 1, 2, ...: with row_fingerprint it forms
    the key of a raw row, which has no key of its own.
-#}
{% macro copy_number() -%}
    row_number() over (partition by row_fingerprint order by row_fingerprint)
{%- endmacro %}
