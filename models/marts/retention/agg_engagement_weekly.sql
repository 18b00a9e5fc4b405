{#-
    One row per week (starting Monday, in var('reporting_timezone')) with any event: visitors
    and the share of them who did at least one engagement event (var('engagement_event_names'))
    that week.
-#}
with events as (
    select * from {{ ref('fct_events') }}
),

visitor_weeks as (
    select
        user_key,
        {{ reporting_period_start('event_at', 'week') }} as week_start,
        max(
            case
                when {{ event_matches(
                    '', var('engagement_event_names'), 'engagement_event_names',
                    empty_means_any=false
                ) }}
                    then 1
                else 0
            end
        ) as is_engaged
    from events
    group by user_key, {{ reporting_period_start('event_at', 'week') }}
),

data_end as (
    select max(event_date) as last_event_date
    from events
),

weekly as (
    select
        week_start,
        count(*) as visitors,
        sum(is_engaged) as engaged_visitors
    from visitor_weeks
    group by week_start
),

final as (
    select
        weekly.week_start,
        cast(weekly.visitors as {{ dbt.type_bigint() }}) as visitors,
        cast(weekly.engaged_visitors as {{ dbt.type_bigint() }}) as engaged_visitors,
        cast(weekly.engaged_visitors as double precision)
        / weekly.visitors as engaged_rate,
        data_end.last_event_date
        < cast({{ dbt.dateadd('day', 6, 'weekly.week_start') }} as date) as is_partial_week
    from weekly
    cross join data_end
)

select * from final
