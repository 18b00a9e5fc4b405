{#-
    For an incremental model whose rows are taken as of a moving date (the latest event's
    date or period): true when `current_query` (one value: that date now) differs from the
    latest `stored_column` stored in the model, or either is null. Every row may change
    then, and the model recomputes whole (see delete_changed_users). Always false outside an
    incremental run; a query run when the model renders, before its pre-hook deletes.
-#}
{% macro as_of_moved(stored_column, current_query) -%}
    {%- if execute and is_incremental() and model.resource_type != 'unit_test' -%}
        {%- set query -%}
            select
                case
                    when (select max(stored.{{ stored_column }}) from {{ this }} as stored)
                    = ({{ current_query }})
                        then 0
                    else 1
                end
        {%- endset -%}
        {{ return(run_query(query).columns[0].values()[0] == 1) }}
    {%- endif -%}
    {{ return(false) }}
{%- endmacro %}
