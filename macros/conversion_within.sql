{#-
    Conversion of the zero-order population within any window: a select with one row per
    cohort_date (first_seen_date, in var('reporting_timezone')) and acquisition_channel ('unknown'
    when null): users, converted_users (first completed order no later than `hours` x 3600 s
    after first seen, inclusive; fractional hours allowed) and conversion_rate.

    `hours` is a number; `relation` is fct_order_conversion or a CTE with its columns (default:
    ref('fct_order_conversion')). Used by agg_conversion_windows and by
    analyses/funnels_conversion_any_window.sql:
        {{ conversion_within(36) }}
-#}
{% macro conversion_within(hours, relation=none) -%}
    {%- if hours is not number or hours < 0 -%}
        {%- do exceptions.raise_compiler_error(
            "conversion_within: hours must be a non-negative number, got " ~ hours
        ) %}
    {%- endif -%}
    {%- set source = relation if relation is not none else ref('fct_order_conversion') -%}
    {%- set window_seconds = (hours * 3600) | round | int -%}
    select
        first_seen_date as cohort_date,
        coalesce(acquisition_channel, 'unknown') as acquisition_channel,
        count(*) as users,
        sum(
            case
                when first_order_at <= {{ dbt.dateadd('second', window_seconds, 'first_seen_at') }}
                    then 1
                else 0
            end
        ) as converted_users,
        avg(
            case
                when first_order_at <= {{ dbt.dateadd('second', window_seconds, 'first_seen_at') }}
                    then 1.0
                else 0.0
            end
        ) as conversion_rate
    from {{ source }}
    group by first_seen_date, coalesce(acquisition_channel, 'unknown')
{%- endmacro %}
