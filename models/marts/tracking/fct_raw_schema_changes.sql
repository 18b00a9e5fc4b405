{#-
    One row per raw table, column and run of dbt in which a change of that column was first
    noticed. Each run reads the columns of every raw table the project reads (raw_tables_read:
    the staged tables and the Segment per-event tables) from the warehouse
    (adapter.get_columns_in_relation) and compares them with the state the stored history
    leaves (each column's latest row): a column not present before has appeared, one present
    before and not found now has disappeared, one found with another data type has changed
    type. A table that does not exist has no columns. The first build (and a --full-refresh,
    which restarts the history) records every column found as present_at_first_build. A run
    that finds no change inserts nothing. Tables dropped from the registries are no longer
    compared (no rows for them).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
    )
}}

{%- set snapshot = raw_column_snapshot() %}

with
{%- if snapshot.rows %}
observed_columns (source_table, column_name, data_type) as (
    values
    {{ snapshot.rows | join(',\n    ') }}
),
{%- else %}
observed_columns as (
    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as column_name,
        cast(null as {{ dbt.type_string() }}) as data_type
    where 1 = 0
),
{%- endif %}

{% if is_incremental() %}
history as (
    select * from {{ this }}
),

ranked_history as (
    select
        source_table,
        column_name,
        change_type,
        data_type,
        row_number() over (
            partition by source_table, column_name
            order by noticed_at desc
        ) as recency
    from history
    where source_table in ({{ snapshot.source_tables | join(', ') }})
),

-- The columns each table had as of the previous run.
stored_columns as (
    select
        source_table,
        column_name,
        data_type
    from ranked_history
    where recency = 1 and change_type <> 'disappeared'
),

changes as (
    select
        coalesce(observed_columns.source_table, stored_columns.source_table) as source_table,
        coalesce(observed_columns.column_name, stored_columns.column_name) as column_name,
        case
            when stored_columns.column_name is null then 'appeared'
            when observed_columns.column_name is null then 'disappeared'
            else 'type_changed'
        end as change_type,
        observed_columns.data_type,
        stored_columns.data_type as previous_data_type
    from observed_columns
    full outer join stored_columns
        on
            observed_columns.source_table = stored_columns.source_table
            and observed_columns.column_name = stored_columns.column_name
    where
        stored_columns.column_name is null
        or observed_columns.column_name is null
        or observed_columns.data_type <> stored_columns.data_type
),
{% else %}
changes as (
    select
        source_table,
        column_name,
        'present_at_first_build' as change_type,
        data_type,
        cast(null as {{ dbt.type_string() }}) as previous_data_type
    from observed_columns
),
{% endif %}

final as (
    select
        {{ surrogate_key(['source_table', 'column_name', run_timestamp()]) }}
            as schema_change_id,
        cast(source_table as {{ dbt.type_string() }}) as source_table,
        cast(column_name as {{ dbt.type_string() }}) as column_name,
        cast(change_type as {{ dbt.type_string() }}) as change_type,
        cast(data_type as {{ dbt.type_string() }}) as data_type,
        cast(previous_data_type as {{ dbt.type_string() }}) as previous_data_type,
        {%- if snapshot.missing_tables %}
        change_type = 'disappeared'
        and source_table in ({{ snapshot.missing_tables | join(', ') }}) as is_table_missing,
        {%- else %}
        false as is_table_missing,
        {%- endif %}
        {{ run_timestamp() }} as noticed_at
    from changes
)

select * from final
