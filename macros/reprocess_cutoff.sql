{#-
    The cutoff of an incremental run: the latest `arrived_at` (an expression over the model's
    own columns, such as received_at) among the rows the model has stored, minus
    var('incremental_lookback_hours'), for rows that reach the warehouse late. Rows that
    arrived at or after it are reprocessed.

    Read once and written as a literal where the model runs, so that the engine can push a
    filter on it down to its scans; as a subquery in a unit test (whose `this` is no table) and
    where SQL is rendered before the model exists (its config: see stored_rows_to_replace).
-#}
{% macro reprocess_cutoff(arrived_at='received_at') -%}
    {%- if execute and is_incremental() and model.resource_type != 'unit_test' -%}
        {%- set cutoff = run_query(reprocess_cutoff_query(arrived_at)).columns[0].values()[0] -%}
        {%- if cutoff is none -%}
            {{ return('null') }}
        {%- endif -%}
        {{ return("cast('" ~ cutoff ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
    {%- endif -%}
    {{ return('(' ~ reprocess_cutoff_query(arrived_at) ~ ')') }}
{%- endmacro %}

{% macro reprocess_cutoff_query(arrived_at='received_at') -%}
    select
        {{ dbt.dateadd(
            'hour', -1 * var('incremental_lookback_hours'), 'max(' ~ arrived_at ~ ')'
        ) }}
    from {{ this }}
{%- endmacro %}
