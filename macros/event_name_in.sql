{#-
    A condition that `column` (an event name) is one of `names`, a list var of normalised
    event names. An empty list means any event when `empty_means_any` (the default), and is a
    compile error naming `var_name` otherwise. Anything but a list is a compile error (see
    check_event_list, shared with event_matches).
-#}
{% macro event_name_in(column, names, var_name, empty_means_any=true) -%}
    {%- if check_event_list(names, var_name, empty_means_any) -%}
        true
    {%- else -%}
        {{ column }} in (
            {%- for name in names -%}
                '{{ name | string | replace("'", "''") }}'{{ ', ' if not loop.last }}
            {%- endfor -%}
        )
    {%- endif -%}
{%- endmacro %}

{#-
    Checks a list var of event definitions: a compile error naming `var_name` when it is not a
    list, or is empty and `empty_means_any` is false. Returns true when it is empty (then any
    event matches).
-#}
{% macro check_event_list(definitions, var_name, empty_means_any) -%}
    {%- if definitions is string or definitions is mapping or definitions is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ var_name ~ " must be a list of event names, not " ~ (definitions | string)
        ) }}
    {%- endif -%}
    {%- if definitions | length == 0 and not empty_means_any -%}
        {{ exceptions.raise_compiler_error("var " ~ var_name ~ " must name at least one event") }}
    {%- endif -%}
    {{ return(definitions | length == 0) }}
{%- endmacro %}
