{#-
    Elapsed seconds from one timestamp to another, fractional (10:00:00.900 to 10:00:01.100
    is 0.2, where a datediff in seconds would count one boundary crossed), as a double.
-#}
{% macro seconds_between(start_at, end_at) -%}
    {{ return(adapter.dispatch('seconds_between', 'growth_metrics')(start_at, end_at)) }}
{%- endmacro %}

{% macro default__seconds_between(start_at, end_at) -%}
    cast(extract(epoch from ({{ end_at }} - {{ start_at }})) as {{ dbt.type_float() }})
{%- endmacro %}

{% macro duckdb__seconds_between(start_at, end_at) -%}
    cast(date_diff('microsecond', {{ start_at }}, {{ end_at }}) as double) / 1000000
{%- endmacro %}

{#- Spark has no interval epoch: the difference of the epoch microseconds, to the microsecond. -#}
{% macro spark__seconds_between(start_at, end_at) -%}
    cast(unix_micros({{ end_at }}) - unix_micros({{ start_at }}) as double) / 1000000
{%- endmacro %}
