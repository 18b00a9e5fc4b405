{#-
    One row per planned event (tracking_plan) and calendar date, from the first to the last
    event_date in fct_events, zero days included: the event's kept events and users that day,
    against the mean and sample standard deviation of its previous
    var('event_volume_trailing_days') days (the day itself excluded). |z| >=
    var('event_volume_anomaly_z') is an anomaly; with a constant history (standard deviation
    0) any other count is one. A date with fewer previous days in the calendar than the window
    is not judged. fct_events is aggregated to event x day once, then windowed.
-#}
{%- set trailing_days = var('event_volume_trailing_days') | int %}
{%- set anomaly_z = var('event_volume_anomaly_z') | float %}
{%- if trailing_days < 2 %}
    {{ exceptions.raise_compiler_error(
        "var event_volume_trailing_days must be at least 2 (a sample standard deviation needs "
        ~ "two days), not " ~ trailing_days
    ) }}
{%- endif %}

with events as (
    select * from {{ ref('fct_events') }}
),

tracking_plan as (
    select * from {{ ref('tracking_plan') }}
),

-- One row per planned event; two plan spellings of one normalised name keep the first.
planned_events as (
    select
        {{ normalize_event_name('event_name') }} as event_name,
        min(event_name) as planned_event_name
    from tracking_plan
    group by {{ normalize_event_name('event_name') }}
),

date_range as (
    select
        min(event_date) as first_date,
        max(event_date) as last_date
    from events
),

calendar as (
    select {{ date_series('first_date', 'last_date') }} as event_date
    from date_range
),

daily_counts as (
    select
        events.event_name,
        events.event_date,
        count(*) as events,
        count(distinct events.user_key) as users
    from events
    inner join planned_events
        on events.event_name = planned_events.event_name
    group by events.event_name, events.event_date
),

event_days as (
    select
        planned_events.event_name,
        planned_events.planned_event_name,
        coalesce(daily_counts.events, 0) as events,
        coalesce(daily_counts.users, 0) as users,
        calendar.event_date
    from planned_events
    cross join calendar
    left join daily_counts
        on
            planned_events.event_name = daily_counts.event_name
            and calendar.event_date = daily_counts.event_date
),

-- Every event has a row on every date, so the N rows before a row are its N previous days.
trailing_stats as (
    select
        event_name,
        planned_event_name,
        events,
        users,
        count(*) over trailing_window as history_days,
        avg(cast(events as {{ type_double() }})) over trailing_window as trailing_mean,
        stddev_samp(cast(events as {{ type_double() }})) over trailing_window as trailing_stddev,
        min(events) over trailing_window = max(events) over trailing_window as is_constant,
        event_date
    from event_days
    window trailing_window as (
        partition by event_name
        order by event_date
        rows between {{ trailing_days }} preceding and 1 preceding
    )
),

judged as (
    select
        event_name,
        planned_event_name,
        events,
        users,
        history_days,
        case when history_days = {{ trailing_days }} then trailing_mean end as trailing_mean,
        case
            when history_days = {{ trailing_days }} and is_constant then 0
            when history_days = {{ trailing_days }} then trailing_stddev
        end as trailing_stddev,
        event_date
    from trailing_stats
),

scored as (
    select
        event_name,
        planned_event_name,
        events,
        users,
        history_days,
        trailing_mean,
        trailing_stddev,
        case
            when trailing_stddev > 0 then (events - trailing_mean) / trailing_stddev
        end as z_score,
        event_date
    from judged
),

final as (
    select
        event_name,
        planned_event_name,
        cast(events as {{ dbt.type_bigint() }}) as events,
        cast(users as {{ dbt.type_bigint() }}) as users,
        cast(history_days as {{ dbt.type_bigint() }}) as history_days,
        cast(trailing_mean as {{ type_double() }}) as trailing_mean,
        cast(trailing_stddev as {{ type_double() }}) as trailing_stddev,
        cast(z_score as {{ type_double() }}) as z_score,
        case
            when trailing_stddev is null then false
            when trailing_stddev = 0 then events <> trailing_mean
            else abs(z_score) >= {{ anomaly_z }}
        end as is_anomaly,
        event_date
    from scored
)

select * from final
