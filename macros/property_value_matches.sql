{#-
    True when a property row (`properties`: an alias of fct_event_properties) has the wanted
    value: compared as numbers when the value reads as one ('3' matches a stored 3.0), else as
    text, ignoring letter case ('true' matches a boolean true and the text 'True'). A null
    value matches nothing.

    `expected` is an SQL text expression (a column of a rules seed); `literal` instead is the
    value itself (from a var), and then the comparison is chosen here: PostgreSQL folds a
    constant cast such as cast('true' as numeric) while planning, even in a CASE branch that
    is never taken, and fails.
-#}
{% macro property_value_matches(properties, expected=none, literal=none) -%}
    {%- set number_pattern = '^-?[0-9]+([.][0-9]+)?$' -%}
    {%- if literal is not none -%}
        {%- set value = literal | string | trim -%}
        {%- if modules.re.match(number_pattern, value) -%}
            {{ properties }}.value_number = cast('{{ value }}' as {{ dbt.type_numeric() }})
        {%- else -%}
            lower({{ properties }}.value_text) = '{{ value | lower | replace("'", "''") }}'
        {%- endif -%}
    {%- else -%}
        case
            when {{ regexp_like(expected, regex_literal(number_pattern)) }}
                then {{ properties }}.value_number = cast({{ expected }} as {{ dbt.type_numeric() }})
            else lower({{ properties }}.value_text) = lower({{ expected }})
        end
    {%- endif -%}
{%- endmacro %}
