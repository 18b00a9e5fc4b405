{#-
    Fails with each source table whose raw rows are not all accounted for:
    raw rows = staged rows + duplicates removed + quarantined rows + rows of erased identities.
-#}
{% test row_accounting_balances(model) %}
select *
from {{ model }}
where raw_rows <> staged_rows + duplicate_rows + quarantined_rows + erased_rows
{% endtest %}
