{#-
    `timestamp` plus `milliseconds` (an integer SQL expression, negative to go back). DuckDB's
    dateadd takes the count as a 32-bit integer, so 25 days or more of milliseconds failed the
    build there (a device clock off by a month); it adds to the epoch microseconds instead.
-#}
{% macro add_milliseconds(milliseconds, timestamp) -%}
    {{ return(adapter.dispatch('add_milliseconds', 'growth_metrics')(milliseconds, timestamp)) }}
{%- endmacro %}

{% macro default__add_milliseconds(milliseconds, timestamp) -%}
    {{ dbt.dateadd('millisecond', milliseconds, timestamp) }}
{%- endmacro %}

{% macro duckdb__add_milliseconds(milliseconds, timestamp) -%}
    make_timestamp(epoch_us({{ timestamp }}) + ({{ milliseconds }}) * 1000)
{%- endmacro %}
