{#-
    The relation of a Segment per-event table (one listed in var('segment_event_tables')):
    in the segment source's database and schema, or, when var('segment_schema') is null, the
    fixture seed of that name (read with ref() so that dbt seeds it first). None when the
    warehouse has no such table yet (Segment creates it with the event's first call) or, while
    dbt parses, always.
-#}
{% macro segment_event_table(table_name) -%}
    {%- if var('segment_schema') is none -%}
        {%- set relation = ref(table_name) -%}
    {%- else -%}
        {%- set tracks = source('segment', 'tracks') -%}
        {%- set relation = api.Relation.create(
            database=tracks.database, schema=tracks.schema, identifier=table_name
        ) -%}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(load_relation(relation)) }}
{%- endmacro %}
