{#-
    One row per month (in var('reporting_timezone')) with any event: visitors and the share of
    them who did at least one engagement event (var('engagement_event_names')) that month. A
    group by over the per-user months of int_user_engagement_periods (incremental).
-#}
{{ engagement_rollup('month', 'month_start') }}
