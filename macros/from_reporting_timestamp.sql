{#-
    The inverse of to_reporting_timestamp: a wall-clock time in var('reporting_timezone') as
    a UTC timestamp (local midnight of a date gives the UTC moment that day starts).
-#}
{% macro from_reporting_timestamp(local_timestamp) -%}
    {%- if var('reporting_timezone') | upper == 'UTC' -%}
        {{ local_timestamp }}
    {%- else -%}
        {{ return(adapter.dispatch('from_reporting_timestamp', 'growth_metrics')(local_timestamp)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__from_reporting_timestamp(local_timestamp) -%}
    cast(
        ({{ local_timestamp }} at time zone '{{ var("reporting_timezone") }}') at time zone 'UTC'
        as {{ dbt.type_timestamp() }}
    )
{%- endmacro %}

{% macro duckdb__from_reporting_timestamp(local_timestamp) -%}
    timezone('UTC', timezone('{{ var("reporting_timezone") }}', {{ local_timestamp }}))
{%- endmacro %}

{#- Spark's timestamps are instants shown in the session time zone (UTC, profiles.yml). -#}
{% macro spark__from_reporting_timestamp(local_timestamp) -%}
    to_utc_timestamp({{ local_timestamp }}, '{{ var("reporting_timezone") }}')
{%- endmacro %}
