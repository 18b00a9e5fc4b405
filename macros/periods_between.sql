{#-
    Whole periods (grain 'week' or 'month') from one period start date to another, as a
    bigint: 0 for the same period, 1 for the next, negative for earlier ones. Both arguments
    must be period starts (as reporting_period_start gives), so that the week count is exact.
-#}
{% macro periods_between(start_date, end_date, grain) -%}
    {%- if grain == 'week' -%}
        cast(({{ dbt.datediff(start_date, end_date, 'day') }}) / 7 as {{ dbt.type_bigint() }})
    {%- elif grain == 'month' -%}
        cast({{ dbt.datediff(start_date, end_date, 'month') }} as {{ dbt.type_bigint() }})
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "period grain must be 'week' or 'month', not '" ~ grain ~ "'"
        ) }}
    {%- endif -%}
{%- endmacro %}
