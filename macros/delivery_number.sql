{#-
    The rank of a usable raw row among the usable rows that share its key: 1 is the copy that is
    kept, 2+ are removed as duplicates. Quarantined rows get null (they are neither). Copies are
    ranked by `order_by` (earliest delivery first), then by row_fingerprint, a hash of the whole
    raw row, so the choice is the same on every run and every engine.
-#}
{% macro delivery_number(key_columns, order_by='received_at nulls last') -%}
    case
        when quarantine_reason is null
            then row_number() over (
                partition by {{ key_columns | join(', ') }}, quarantine_reason
                order by {{ order_by ~ ', ' if order_by }}row_fingerprint
            )
    end
{%- endmacro %}
