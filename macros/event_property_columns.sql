{#-
    The property columns of the Segment per-event tables listed in var('segment_event_tables'),
    read from the warehouse at run time: [{'table', 'relation', 'properties': [{'name',
    'data_type'}]}], tables in the var's order, properties in column order. A property is
    every column beyond those Segment writes on every call (is_segment_common_column), except
    a direct identifier (a name containing a word of var('direct_identifier_words')). A
    listed table the warehouse does not have yet is left out (no property yet). Empty while
    dbt parses.
-#}
{% macro event_property_columns() -%}
    {%- set tables = [] -%}
    {%- for table_name in var('segment_event_tables') -%}
        {#- called while dbt parses too, so that it sees the fixture seeds' ref() -#}
        {%- set relation = segment_event_table(table_name) -%}
        {%- if execute and relation is not none -%}
            {%- set properties = [] -%}
            {%- set excluded = var('direct_identifier_words') | map('lower') | list -%}
            {%- for column in adapter.get_columns_in_relation(relation) -%}
                {%- set identifying = excluded | select('in', column.name | lower) | list -%}
                {%- if not is_segment_common_column(column.name | lower) and not identifying -%}
                    {%- do properties.append(
                        {'name': column.name | lower, 'data_type': column.data_type | lower}
                    ) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do tables.append(
                {'table': table_name, 'relation': relation, 'properties': properties}
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}

{#-
    True for the columns Segment (or RudderStack) writes on every track call, which a
    per-event table repeats beside the event's properties: the columns of the tracks contract
    (see the sources YAML), every context_* column, the loaders' uuid_ts, loaded_at and
    channel, and columns starting with an underscore (loader metadata).
-#}
{% macro is_segment_common_column(name) -%}
    {%- set tracks_columns = raw_contract('segment', 'tracks') | map(attribute='name') | list -%}
    {{ return(
        name in tracks_columns
        or name.startswith('context_')
        or name.startswith('_')
        or name in ('uuid_ts', 'loaded_at', 'channel')
    ) }}
{%- endmacro %}

{#- The property columns as one line ("table.column:type ..."), as recorded on the model. -#}
{% macro event_property_signature(tables) -%}
    {%- set names = [] -%}
    {%- for table in tables -%}
        {%- for property in table.properties -%}
            {%- do names.append(table.table ~ '.' ~ property.name ~ ':' ~ property.data_type) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(names | sort | join(' ')) }}
{%- endmacro %}
