{#-
    One row per week (starting Monday, in var('reporting_timezone')) with any event of an
    account's user: accounts active that week (any of their users has an event) and the share
    of them engaged (any of their users did an engagement event, var('engagement_event_names')).
    agg_engagement_weekly with the account as the entity: a group by over the per-user weeks
    of int_user_engagement_periods (incremental) and the users' accounts (dim_users).
-#}
{{ engagement_rollup('week', 'week_start', entity='account') }}
