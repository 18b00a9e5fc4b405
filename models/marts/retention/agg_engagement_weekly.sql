{#-
    One row per week (starting Monday, in var('reporting_timezone')) with any event: visitors
    and the share of them who did at least one engagement event (var('engagement_event_names'))
    that week. A group by over the per-user weeks of int_user_engagement_periods (incremental).
-#}
{{ engagement_rollup('week', 'week_start') }}
