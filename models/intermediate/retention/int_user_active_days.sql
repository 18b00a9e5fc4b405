{#-
    One row per user_key and date (event_date, in var('reporting_timezone')) on which the user
    did an activity event for stickiness (var('stickiness_event_names'); [] = any event). The
    per-user days that agg_stickiness_daily and agg_active_days_weekly count: one group by
    over fct_events, so that a 10M-event warehouse hands the marts a few rows per user.
-#}
with events as (
    select * from {{ ref('fct_events') }}
),

final as (
    select
        user_key,
        event_date as activity_date
    from events
    where
        {{ event_matches('events', var('stickiness_event_names'), 'stickiness_event_names') }}
    group by user_key, event_date
)

select * from final
