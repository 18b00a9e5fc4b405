{#-
    The window in which the copies of a raw row are ranked: rows that share `key_columns` and
    quarantine reason, earliest delivery first (`order_by`), then by row_fingerprint (a hash of
    the whole raw row), so the order is the same on every run and engine. Shared by
    delivery_number and copy_number, which must use exactly the same window.
-#}
{% macro delivery_window(key_columns, order_by='received_at nulls last') -%}
    partition by {{ key_columns | join(', ') }}, quarantine_reason
    order by {{ order_by ~ ', ' if order_by }}row_fingerprint
{%- endmacro %}
