{#-
    A condition that `column` (an event name) is one of `names`, a list var of normalised
    event names. An empty list means any event when `empty_means_any` (the default), and is a
    compile error naming `var_name` otherwise. Anything but a list is a compile error.
-#}
{% macro event_name_in(column, names, var_name, empty_means_any=true) -%}
    {%- if names is string or names is mapping or names is not iterable -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ var_name ~ " must be a list of event names, not " ~ (names | string)
        ) }}
    {%- endif -%}
    {%- if names | length == 0 -%}
        {%- if empty_means_any -%}
            true
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ var_name ~ " must name at least one event"
            ) }}
        {%- endif -%}
    {%- else -%}
        {{ column }} in (
            {%- for name in names -%}
                '{{ name | string | replace("'", "''") }}'{{ ', ' if not loop.last }}
            {%- endfor -%}
        )
    {%- endif -%}
{%- endmacro %}
