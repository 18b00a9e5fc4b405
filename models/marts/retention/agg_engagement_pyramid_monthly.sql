{#-
    agg_engagement_pyramid_weekly by month (var('reporting_timezone')): one row per month with
    any event and per level of the engagement pyramid. A group by over the per-user months of
    int_user_engagement_periods (incremental); see macro engagement_pyramid.
-#}
{{ engagement_pyramid('month', 'month_start') }}
