{#-
    The earliest time a row may carry, var('earliest_plausible_date') (YYYY-MM-DD) at midnight
    UTC, as a timestamp: rows placed before it are quarantined as time_before_floor.
-#}
{% macro earliest_plausible_at() -%}
    {%- set floor = date_var('earliest_plausible_date') -%}
    {%- if floor is none -%}
        {{ exceptions.raise_compiler_error(
            "var earliest_plausible_date must be a date written YYYY-MM-DD, not null"
        ) }}
    {%- endif -%}
    cast({{ floor }} as {{ dbt.type_timestamp() }})
{%- endmacro %}
