{#-
    A condition that an event (columns event_name and event_id of `events`, an alias, or ''
    for unqualified columns) is one of `definitions`, a list var whose entries are either an
    event name ("report_created") or an event with a property value
    ({event_name: document_searched, property_name: result_clicked, property_value: 'true'}:
    the event's property in fct_event_properties has that value, see property_value_matches).
    An empty list means any event when `empty_means_any`, and is a compile error naming
    `var_name` otherwise (check_event_list); so is a mapping entry without all three keys.
-#}
{% macro event_matches(events, definitions, var_name, empty_means_any=true) -%}
    {%- set properties = ref('fct_event_properties') -%}
    {%- set prefix = events ~ '.' if events else '' -%}
    {%- set matches_any = check_event_list(definitions, var_name, empty_means_any) -%}
    {%- set names = [] -%}
    {%- set conditions = [] -%}
    {%- for entry in definitions -%}
        {%- if entry is mapping -%}
            {%- if not (entry.get('event_name') and entry.get('property_name')
                and entry.get('property_value') is not none) -%}
                {{ exceptions.raise_compiler_error(
                    "var " ~ var_name ~ ": an entry with a property condition needs "
                    ~ "event_name, property_name and property_value, not " ~ (entry | string)
                ) }}
            {%- endif -%}
            {%- do conditions.append(entry) -%}
        {%- else -%}
            {%- do names.append(entry | string) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if matches_any -%}
        true
    {%- else -%}
        (
            {%- if names %}
            {{ event_name_in(prefix ~ 'event_name', names, var_name) }}
            {%- else %}
            false
            {%- endif %}
            {%- for entry in conditions %}
            or {{ prefix }}event_id in (
                select matching.event_id
                from {{ properties }} as matching
                where
                    matching.event_name = '{{ entry.event_name | replace("'", "''") }}'
                    and matching.property_name = '{{ entry.property_name | replace("'", "''") }}'
                    and {{ property_value_matches('matching', literal=entry.property_value) }}
            )
            {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}
