{#-
    dbt.dateadd on Spark. dbt-spark's own goes through Unix seconds, so it drops the fraction
    of a second (10:00:00.900 plus one hour gave 11:00:00), and wraps its operand in
    assert_not_null, so a null timestamp failed the query. Here: timestampadd, exact to the
    microsecond, null for a null operand; units below a day are added as microseconds (so a
    fractional count of hours or seconds keeps its fraction, as on PostgreSQL); month,
    quarter and year end on the last day of a shorter month, as on DuckDB and PostgreSQL.
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set microseconds = {
        'hour': '3600000000L',
        'minute': '60000000L',
        'second': '1000000L',
        'millisecond': '1000L',
        'microsecond': '1L',
    } -%}
    {%- set calendar = {'day': 'day', 'week': 'week', 'month': 'month', 'quarter': 'quarter',
        'year': 'year'} -%}
    {%- set part = datepart | lower -%}
    {%- if part in microseconds -%}
        timestampadd(
            microsecond,
            cast(({{ interval }}) * {{ microseconds[part] }} as bigint),
            {{ from_date_or_timestamp }}
        )
    {%- elif part in calendar -%}
        timestampadd({{ calendar[part] }}, {{ interval }}, {{ from_date_or_timestamp }})
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "dateadd: datepart '" ~ datepart ~ "' is not supported on Spark"
        ) }}
    {%- endif -%}
{%- endmacro %}
