{#-
    A UTC timestamp as wall-clock time in var('reporting_timezone') (an IANA name, default
    UTC). Every calendar date, week and month in a mart is taken from this, so that "the same
    day" means the same day for the people reading the report.
-#}
{% macro to_reporting_timestamp(utc_timestamp) -%}
    {%- if var('reporting_timezone') | upper == 'UTC' -%}
        {{ utc_timestamp }}
    {%- else -%}
        {{ return(adapter.dispatch('to_reporting_timestamp', 'growth_metrics')(utc_timestamp)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__to_reporting_timestamp(utc_timestamp) -%}
    cast(
        ({{ utc_timestamp }} at time zone 'UTC') at time zone '{{ var("reporting_timezone") }}'
        as {{ dbt.type_timestamp() }}
    )
{%- endmacro %}

{% macro duckdb__to_reporting_timestamp(utc_timestamp) -%}
    timezone('{{ var("reporting_timezone") }}', timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}

{#- Spark's timestamps are instants shown in the session time zone (UTC, profiles.yml). -#}
{% macro spark__to_reporting_timestamp(utc_timestamp) -%}
    from_utc_timestamp({{ utc_timestamp }}, '{{ var("reporting_timezone") }}')
{%- endmacro %}
