{#-
    True when a property row (`properties`: an alias of fct_event_properties) has the value
    `expected` (an SQL text expression, from a rules seed or var): compared as numbers when
    `expected` reads as one ('3' matches a stored 3.0), else as text, ignoring letter case
    ('true' matches a boolean true and the text 'True'). A null value matches nothing.
-#}
{% macro property_value_matches(properties, expected) -%}
    case
        when {{ regexp_like(expected, "'^-?[0-9]+([.][0-9]+)?$'") }}
            then {{ properties }}.value_number = cast({{ expected }} as {{ dbt.type_numeric() }})
        else lower({{ properties }}.value_text) = lower({{ expected }})
    end
{%- endmacro %}
