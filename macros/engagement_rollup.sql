{#-
    The body of agg_engagement_weekly and agg_engagement_monthly: one row per period of
    `period_grain` ('week' or 'month') with a row in int_user_engagement_periods: visitors (the
    users with any event in the period), engaged visitors, their share, and whether the
    period's last day is after the latest event_date in fct_events (the period is not over in
    the data). `period_column` names the period's first day in the output.
-#}
{% macro engagement_rollup(period_grain, period_column) -%}
with user_periods as (
    select * from {{ ref('int_user_engagement_periods') }}
    where period_grain = '{{ period_grain }}'
),

-- read for the latest event date only
events as (
    select * from {{ ref('fct_events') }}
),

data_end as (
    select max(event_date) as last_event_date
    from events
),

periods as (
    select
        period_start,
        count(*) as visitors,
        sum(case when is_engaged then 1 else 0 end) as engaged_visitors
    from user_periods
    group by period_start
),

final as (
    select
        periods.period_start as {{ period_column }},
        cast(periods.visitors as {{ dbt.type_bigint() }}) as visitors,
        cast(periods.engaged_visitors as {{ dbt.type_bigint() }}) as engaged_visitors,
        cast(periods.engaged_visitors as double precision)
        / periods.visitors as engaged_rate,
        data_end.last_event_date < cast(
            {{ dbt.dateadd(
                'day', -1, dbt.dateadd(period_grain, 1, 'periods.period_start')
            ) }} as date
        ) as is_partial_{{ period_grain }}
    from periods
    cross join data_end
)

select * from final
{%- endmacro %}
