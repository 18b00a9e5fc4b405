{#-
    The rank of a usable raw row among the usable rows that share its key: 1 is the copy that is
    kept, 2+ are removed as duplicates. Quarantined rows get null (they are neither). A bigint on
    every engine (row_number() is an int on Spark; an offset makes it a bigint). Copies are
    ranked in delivery_window: earliest delivery first (`order_by`), then by row_fingerprint.
    `offset` (SQL text such as ' + earlier.deliveries') is added to the rank: the copies already
    stored ahead of these rows in an incremental run (see numbered_copies).
-#}
{% macro delivery_number(key_columns, order_by='received_at nulls last', offset='') -%}
    case
        when quarantine_reason is null
            then cast(row_number() over ({{ delivery_window(key_columns, order_by) }}) as {{ dbt.type_bigint() }}){{ offset }}
    end
{%- endmacro %}
