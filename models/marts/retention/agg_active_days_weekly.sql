{#-
    One row per week (starting Monday, in var('reporting_timezone')) that holds a date from
    the first to the latest event_date in fct_events, and per number of active days 1 to 7:
    the users active on exactly that many days of the week (active = an activity event,
    var('stickiness_event_names'), as in agg_stickiness_daily), their share of the week's
    active users, and the cumulative share active on at least that many days (the power-user
    curve). Every 1..7 row is there, with zeros when nobody.
-#}
with user_days as (
    select * from {{ ref('int_user_active_days') }}
),

-- read for the first and latest event dates only
events as (
    select * from {{ ref('fct_events') }}
),

dates as (
    select * from {{ ref('dim_dates') }}
),

data_range as (
    select
        min(event_date) as first_event_date,
        max(event_date) as last_event_date
    from events
),

weeks as (
    select distinct cast({{ dbt.date_trunc('week', 'dates.date_day') }} as date) as week_start
    from dates
    inner join data_range
        on dates.date_day between data_range.first_event_date and data_range.last_event_date
),

day_counts as (
    {%- for days in range(1, 8) %}
    select {{ days }} as active_days
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}
),

user_weeks as (
    select
        user_key,
        cast({{ dbt.date_trunc('week', 'activity_date') }} as date) as week_start,
        count(*) as active_days
    from user_days
    group by user_key, cast({{ dbt.date_trunc('week', 'activity_date') }} as date)
),

week_counts as (
    select
        week_start,
        active_days,
        count(*) as users
    from user_weeks
    group by week_start, active_days
),

counted as (
    select
        weeks.week_start,
        day_counts.active_days,
        coalesce(week_counts.users, 0) as users
    from weeks
    cross join day_counts
    left join week_counts
        on
            weeks.week_start = week_counts.week_start
            and day_counts.active_days = week_counts.active_days
),

cumulated as (
    select
        week_start,
        active_days,
        users,
        sum(users) over (partition by week_start) as active_users,
        sum(users) over (
            partition by week_start
            order by active_days desc
            rows between unbounded preceding and current row
        ) as users_at_least
    from counted
),

final as (
    select
        cumulated.week_start,
        cast(cumulated.active_days as {{ dbt.type_bigint() }}) as active_days,
        cast(cumulated.users as {{ dbt.type_bigint() }}) as users,
        cast(cumulated.users_at_least as {{ dbt.type_bigint() }}) as users_at_least,
        cast(cumulated.active_users as {{ dbt.type_bigint() }}) as active_users,
        {{ safe_divide('cast(cumulated.users as ' ~ type_double() ~ ')', 'cumulated.active_users') }}
            as share_of_active_users,
        {{ safe_divide(
            'cast(cumulated.users_at_least as ' ~ type_double() ~ ')', 'cumulated.active_users'
        ) }} as share_at_least,
        cumulated.week_start < data_range.first_event_date
        or data_range.last_event_date < cast(
            {{ dbt.dateadd('day', 6, 'cumulated.week_start') }} as date
        ) as is_partial_week
    from cumulated
    cross join data_range
)

select * from final
