{#-
    The trait columns of the raw identifies table, read from the warehouse at run time, in
    the shape event_property_rows reads ([{'table', 'relation', 'properties'}]): every column
    beyond the identifies contract (see the sources YAML) and those a loader adds (context_*,
    uuid_ts, loaded_at, channel, columns starting with "_"), except the direct identifiers:
    a column whose name contains one of var('direct_identifier_words') (email, phone, name,
    address, ...) is never read. Empty while dbt parses.
-#}
{% macro user_trait_columns() -%}
    {%- set relation = raw_table('segment', 'identifies') -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set contract = raw_contract('segment', 'identifies') | map(attribute='name') | list -%}
    {%- set excluded = var('direct_identifier_words') | map('lower') | list -%}
    {%- set traits = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- set name = column.name | lower -%}
        {%- set identifying = excluded | select('in', name) | list -%}
        {%- if name not in contract and not is_segment_common_column(name) and not identifying -%}
            {%- do traits.append({'name': name, 'data_type': column.data_type | lower}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return([{'table': 'identifies', 'relation': relation, 'properties': traits}]) }}
{%- endmacro %}
