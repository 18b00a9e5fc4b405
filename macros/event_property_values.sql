{#-
    The typed value columns of a property column of a per-event table (`column`, stored as
    `data_type`): value_text (the value as text; blank text is null), value_number,
    value_boolean and value_timestamp, each set when the value is of that type or is text that
    reads as one: a number '-12.5' (digits, an optional sign and decimal point, up to 20
    characters), a boolean 'true' or 'false' (any letter case), a timestamp in ISO 8601 (see
    try_cast_timestamp). A value that does not read as its planned type has that column null:
    what the tracking-plan QA calls wrong_type. A number column's NaN, ±Infinity or value too
    large for numeric(28,6) has value_number null (see try_cast_decimal), never a failed build.
-#}
{% macro event_property_values(column, data_type) -%}
    {%- set family = raw_type_family(data_type) -%}
    {%- set text = clean_text(column) -%}
    {%- set number -%}
        case
            when
                length({{ text }}) <= 20
                and {{ regexp_like(text, regex_literal('^-?[0-9]+([.][0-9]+)?$')) }}
                then cast({{ text }} as {{ dbt.type_numeric() }})
        end
    {%- endset -%}
    {{ redact_personal_data(text) }} as value_text,
    {%- if family == 'number' %}
    {{ try_cast_decimal(column) }} as value_number,
    {%- elif family == 'text' %}
    {{ number }} as value_number,
    {%- else %}
    cast(null as {{ dbt.type_numeric() }}) as value_number,
    {%- endif %}
    {%- if family == 'boolean' %}
    {{ column }} as value_boolean,
    {%- elif family == 'text' %}
    case lower({{ text }}) when 'true' then true when 'false' then false end as value_boolean,
    {%- else %}
    cast(null as {{ dbt.type_boolean() }}) as value_boolean,
    {%- endif %}
    {%- if family in ('timestamp', 'date', 'text') %}
    {{ try_cast_timestamp(column, data_type) }} as value_timestamp
    {%- else %}
    cast(null as {{ dbt.type_timestamp() }}) as value_timestamp
    {%- endif %}
{%- endmacro %}
