{#-
    Every property value of the Segment per-event tables `tables` (from
    event_property_columns), one row per raw row and property column: event_id (the trimmed
    message id), received_at, property_name and the typed values (event_property_values),
    every copy of a message included. `event_ids` (a CTE or relation with an event_id column;
    none = all) restricts it to those events before anything is cast. With no property at
    all, an empty result of the same columns.
-#}
{% macro event_property_rows(tables, event_ids=none) -%}
    {%- for table in tables %}
    {%- for property in table.properties %}
    select
        {{ clean_text('id') }} as event_id,
        {{ try_cast_timestamp('received_at') }} as received_at,
        '{{ property.name }}' as property_name,
        {{ event_property_values(adapter.quote(property.name), property.data_type) }}
    from {{ table.relation }}
    {%- if event_ids %}
    where {{ clean_text('id') }} in (select {{ event_ids }}.event_id from {{ event_ids }})
    {%- endif %}
    union all
    {%- endfor %}
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as event_id,
        cast(null as {{ dbt.type_timestamp() }}) as received_at,
        cast(null as {{ dbt.type_string() }}) as property_name,
        cast(null as {{ dbt.type_string() }}) as value_text,
        cast(null as {{ dbt.type_numeric() }}) as value_number,
        cast(null as {{ dbt.type_boolean() }}) as value_boolean,
        cast(null as {{ dbt.type_timestamp() }}) as value_timestamp
    where 1 = 0
{%- endmacro %}
