{#-
    The key of a funnel entity (int_funnel_entity_events.entity_key) from its funnel name,
    entity type ('user' or 'account') and entity id: one text value, unambiguous whatever the
    names hold (the funnel name's length comes first, and the type is followed by ':'), on
    which fct_funnel_steps joins and recomputes entities.
-#}
{% macro funnel_entity_key(funnel_name, entity_type, entity_id) -%}
    cast({{ dbt.length(funnel_name) }} as {{ dbt.type_string() }})
    || ':' || {{ funnel_name }} || {{ entity_type }} || ':' || {{ entity_id }}
{%- endmacro %}
