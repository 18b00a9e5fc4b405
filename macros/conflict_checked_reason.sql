{#-
    The quarantine reason of a row of a table with a business key (orders, spend): its own
    first_reason if it has one; else conflicting_duplicate when another row without a reason
    shares its key but differs in content (a different row_fingerprint), since which of them
    is right cannot be told; else null. Exact copies are left to delivery_number.
-#}
{% macro conflict_checked_reason(key_column) -%}
    coalesce(
        first_reason,
        case
            when
                min(row_fingerprint) over (partition by {{ key_column }}, first_reason)
                <> max(row_fingerprint) over (partition by {{ key_column }}, first_reason)
                then 'conflicting_duplicate'
        end
    )
{%- endmacro %}
