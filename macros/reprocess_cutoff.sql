{#-
    The cutoff of an incremental Segment base model: the latest received_at among the rows the
    model has stored, minus var('incremental_lookback_hours'), for rows that reach the
    warehouse late. Raw rows received at or after it are reprocessed. Stored rows received
    after latest_plausible_at() (quarantined received_in_future) are left out, so that one row
    from the future cannot move the cutoff past the present and leave every later load out.
-#}
{% macro reprocess_cutoff() -%}
    {{ return(stored_timestamp(reprocess_cutoff_query())) }}
{%- endmacro %}

{% macro reprocess_cutoff_query(stored=this) -%}
    select
        {{ dbt.dateadd('hour', -1 * var('incremental_lookback_hours'), 'max(received_at)') }}
    from {{ stored }}
    where received_at <= {{ latest_plausible_at() }}
{%- endmacro %}

{#-
    When an incremental model downstream of the Segment base models last wrote rows before
    this run: the latest processed_at it has stored, leaving out this run's (so that a
    post-hook reads the same as the model), or 1900-01-01 when it has none. Base rows staged
    after it (staged_at, see staged_rows) are what changed since; nothing earlier needs
    recomputing. Runs are ordered by their start time (run_timestamp), so this needs the
    clock of the machine that runs dbt not to go back. `marker_column`: the column that holds
    the run timestamp (staged_at in the base models).
-#}
{% macro last_processed_at(marker_column='processed_at') -%}
    {%- set query -%}
        select coalesce(max({{ marker_column }}), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
        from {{ this }}
        where {{ marker_column }} < {{ run_timestamp() }}
    {%- endset -%}
    {{ return(stored_timestamp(query)) }}
{%- endmacro %}

{#-
    The timestamp a one-value query over the model's stored rows returns. Read once and written
    as a literal where the model runs, so that the engine can push a filter on it down to its
    scans; as a subquery in a unit test (whose `this` is no table) and where SQL is rendered
    before the model exists (its config: see stored_rows_to_replace).
-#}
{% macro stored_timestamp(query) -%}
    {%- if execute and is_incremental() and model.resource_type != 'unit_test' -%}
        {%- set value = run_query(query).columns[0].values()[0] -%}
        {%- if value is none -%}
            {{ return('null') }}
        {%- endif -%}
        {{ return("cast('" ~ value ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
    {%- endif -%}
    {{ return('(' ~ query ~ ')') }}
{%- endmacro %}
