{#-
    An incremental Segment base model keeps its stored rows and reprocesses the raw rows
    received since its cutoff (the latest received_at stored, minus the lookback). Pointed at
    another raw table (the segment_schema var changed: from the fixtures to one's own schema,
    or to another source), that cutoff belongs to the old table, and the new table's rows
    received before it would stay unstaged. So each base model records the raw table it read
    (post-hook record_raw_source: the table's comment), and an incremental run that would read
    another one stops with a message asking for a full refresh. Compared on schema and table
    name, so that a moved or renamed DuckDB file is no change. A table built before this check
    has no record and is taken as unchanged.
-#}
{% macro check_raw_source_unchanged(raw_relation) -%}
    {%- if execute and is_incremental() and model.resource_type != 'unit_test' -%}
        {%- set recorded = stored_table_comment(this) -%}
        {%- set prefix = 'raw source: ' -%}
        {%- if recorded and recorded.startswith(prefix)
            and recorded[prefix | length:] != raw_source_name(raw_relation) -%}
            {%- do exceptions.raise_compiler_error(
                this.identifier ~ ' was built from the raw table ' ~ recorded[prefix | length:]
                ~ ' and now reads ' ~ raw_source_name(raw_relation) ~ '. Its stored rows and '
                ~ 'its cutoff (the latest received_at stored) belong to the old table, so an '
                ~ 'incremental run would leave the new table\'s earlier rows unstaged. Rebuild '
                ~ 'from the new table with a full refresh: dbt build --full-refresh (or '
                ~ 'dbt build --full-refresh --select ' ~ this.identifier ~ '+).'
            ) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro record_raw_source(raw_relation) -%}
    comment on table {{ this }} is 'raw source: {{ raw_source_name(raw_relation) }}'
{%- endmacro %}

{#- schema.table of a raw relation, lowercased and unquoted. -#}
{% macro raw_source_name(raw_relation) -%}
    {{ return((raw_relation.schema ~ '.' ~ raw_relation.identifier) | lower) }}
{%- endmacro %}
