{#-
    The first day (a date) of the calendar period that a UTC timestamp falls in, taken in
    var('reporting_timezone'): grain 'week' (weeks start on Monday, on both engines) or
    'month'. Any other grain is a compile error that names the bad value. Every mart's
    weeks and months come from here.
-#}
{% macro reporting_period_start(utc_timestamp, grain) -%}
    {%- if grain not in ['week', 'month'] -%}
        {{ exceptions.raise_compiler_error(
            "period grain must be 'week' or 'month', not '" ~ grain
            ~ "' (check the grain vars, e.g. retention_cohort_grain and lifecycle_grain)"
        ) }}
    {%- endif -%}
    cast({{ dbt.date_trunc(grain, to_reporting_timestamp(utc_timestamp)) }} as date)
{%- endmacro %}
