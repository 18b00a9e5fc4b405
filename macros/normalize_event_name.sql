{#-
    Lowercase snake_case of an event name: "Order Completed", "order-completed",
    "orderCompleted" and " ORDER_COMPLETED " all give order_completed. camelCase boundaries
    become underscores; every run of characters other than a-z and 0-9 (including non-ASCII
    letters) becomes one underscore; leading and trailing underscores are dropped. Blank
    names give null.
-#}
{% macro normalize_event_name(expression) -%}
    nullif(
        regexp_replace(
            regexp_replace(
                lower(regexp_replace(trim({{ expression }}), '([a-z0-9])([A-Z])', '\1_\2', 'g')),
                '[^a-z0-9]+', '_', 'g'
            ),
            '^_+|_+$', '', 'g'
        ),
        ''
    )
{%- endmacro %}
