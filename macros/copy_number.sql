{#-
    Numbers identical raw rows (same row_fingerprint) 1, 2, ...: with row_fingerprint it forms
    the key of a raw row, which has no key of its own.

    Identical rows share their key, quarantine reason and delivery time, so they are ties
    next to each other in the delivery window (see delivery_window): the copy number is the
    row's position among its ties, row_number - rank + 1. Using the same window as
    delivery_number lets the engine sort the rows once for both numbers (a window of its own,
    partitioned by row_fingerprint, was the most expensive step of a base model).
-#}
{% macro copy_number(key_columns, order_by='received_at nulls last') -%}
    cast(row_number() over ({{ delivery_window(key_columns, order_by) }}) as {{ dbt.type_bigint() }})
    - cast(rank() over ({{ delivery_window(key_columns, order_by) }}) as {{ dbt.type_bigint() }})
    + 1
{%- endmacro %}
