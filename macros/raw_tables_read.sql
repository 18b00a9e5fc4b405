{#-
    Every raw table this project reads, once each: the staged tables (staged_source_tables(),
    relation by raw_table) and the Segment per-event tables of var('segment_event_tables')
    (relation by segment_event_table). Returns a list of {'source_table': '<source>.<table>',
    'relation': the relation as it is in the warehouse, or none when the table does not exist
    (yet) or while dbt parses}. A table in both lists (experiment_viewed) comes once, from the
    staged list. The ref() / source() of each table is taken even while parsing, so that dbt
    orders a model that calls this after the fixture seeds it reads.
-#}
{% macro raw_tables_read() -%}
    {%- set tables = [] -%}
    {%- set seen = [] -%}
    {%- for t in staged_source_tables() -%}
        {%- set source_table = t.source ~ '.' ~ t.table -%}
        {%- set relation = raw_table(t.source, t.table) -%}
        {%- if source_table not in seen -%}
            {%- do seen.append(source_table) -%}
            {%- do tables.append({
                'source_table': source_table,
                'relation': load_relation(relation) if execute else none,
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in var('segment_event_tables') -%}
        {%- set source_table = 'segment.' ~ name -%}
        {%- set relation = segment_event_table(name) -%}
        {%- if source_table not in seen -%}
            {%- do seen.append(source_table) -%}
            {%- do tables.append({'source_table': source_table, 'relation': relation}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}
