{#-
    One row per week (starting Monday, in var('reporting_timezone')) with any event and per
    level of the engagement pyramid (visitors, returning visitors, signed up, engaged,
    contributors), each level a subset of the one above. A group by over the per-user weeks
    of int_user_engagement_periods (incremental); see macro engagement_pyramid.
-#}
{{ engagement_pyramid('week', 'week_start') }}
