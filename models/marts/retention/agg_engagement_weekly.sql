{#-
    One row per week (starting Monday, in var('reporting_timezone')) with any event: visitors
    and the share of them who did at least one engagement event (var('engagement_event_names'))
    that week. A group by over the per-user weeks of int_user_engagement_weeks (incremental).
-#}
with user_weeks as (
    select * from {{ ref('int_user_engagement_weeks') }}
),

-- read for the latest event date only
events as (
    select * from {{ ref('fct_events') }}
),

data_end as (
    select max(event_date) as last_event_date
    from events
),

weekly as (
    select
        week_start,
        count(*) as visitors,
        sum(case when is_engaged then 1 else 0 end) as engaged_visitors
    from user_weeks
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
