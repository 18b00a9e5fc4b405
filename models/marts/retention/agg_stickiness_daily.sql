{#-
    One row per date (var('reporting_timezone')) from the first to the latest event_date in
    fct_events: DAU, WAU and MAU (distinct users with an activity day in the 1, 7 and
    var('stickiness_mau_window_days') dates ending on the date) and their ratios.
    Counted without a range join: a user's active day covers the dates from itself until the
    window from it closes or the user's next active day, whichever comes first; these
    stretches never overlap for one user, and their union is the dates whose trailing window
    holds an active day of the user. So each window's count is a running sum of +1 at the
    stretches' starts and -1 at their ends: a few rows per user-day, no distinct count.
-#}
{%- set mau_days = var('stickiness_mau_window_days') %}
{%- if mau_days is not number or mau_days < 1 or mau_days != mau_days | int %}
    {{ exceptions.raise_compiler_error(
        "var stickiness_mau_window_days must be a whole number of days >= 1, not "
        ~ (mau_days | string)
    ) }}
{%- endif %}
{#- Each trailing window once: its name and length in days (the date itself included). #}
{%- set wau_days = 7 %}
{%- set mau_days = mau_days | int %}
{%- set windows = [('dau', 1), ('wau', wau_days), ('mau', mau_days)] %}

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

next_days as (
    select
        user_key,
        activity_date,
        lead(activity_date) over (partition by user_key order by activity_date)
            as next_activity_date
    from user_days
),

-- where each window's stretch from an active day ends (exclusive): the first date past the
-- window from it, or the user's next active day when that comes first
stretches as (
    select
        {%- for name, days in windows %}
        case
            when next_activity_date < cast({{ dbt.dateadd('day', days, 'activity_date') }} as date)
                then next_activity_date
            else cast({{ dbt.dateadd('day', days, 'activity_date') }} as date)
        end as {{ name }}_end_date,
        {%- endfor %}
        activity_date
    from next_days
),

-- change 0 opens every window's stretch on the active day; change k closes window k's
change_kinds as (
    select 0 as change_kind
    {%- for name, days in windows %}
    union all
    select {{ loop.index }} as change_kind
    {%- endfor %}
),

changes as (
    select
        case change_kinds.change_kind
            {%- for name, days in windows %}
            when {{ loop.index }} then stretches.{{ name }}_end_date
            {%- endfor %}
            else stretches.activity_date
        end as change_date,
        {%- for name, days in windows %}
        case change_kinds.change_kind
            when 0 then 1
            when {{ loop.index }} then -1
            else 0
        end as {{ name }}_change,
        {%- endfor %}
        0 as is_output_date
    from stretches
    cross join change_kinds
),

output_dates as (
    select
        dates.date_day as change_date,
        {%- for name, days in windows %}
        0 as {{ name }}_change,
        {%- endfor %}
        1 as is_output_date
    from dates
    inner join data_range
        on dates.date_day between data_range.first_event_date and data_range.last_event_date
),

all_changes as (
    select * from changes
    union all
    select * from output_dates
),

daily_changes as (
    select
        change_date,
        {%- for name, days in windows %}
        sum({{ name }}_change) as {{ name }}_change,
        {%- endfor %}
        max(is_output_date) as is_output_date
    from all_changes
    group by change_date
),

running as (
    select
        change_date,
        {%- for name, days in windows %}
        sum({{ name }}_change) over (
            order by change_date rows between unbounded preceding and current row
        ) as {{ name }},
        {%- endfor %}
        is_output_date
    from daily_changes
),

final as (
    select
        running.change_date as activity_date,
        cast(running.dau as {{ dbt.type_bigint() }}) as dau,
        cast(running.wau as {{ dbt.type_bigint() }}) as wau,
        cast(running.mau as {{ dbt.type_bigint() }}) as mau,
        cast({{ mau_days }} as {{ dbt.type_bigint() }}) as mau_window_days,
        {{ safe_divide('cast(running.dau as ' ~ type_double() ~ ')', 'running.mau') }}
            as dau_mau_ratio,
        {{ safe_divide('cast(running.dau as ' ~ type_double() ~ ')', 'running.wau') }}
            as dau_wau_ratio,
        cast({{ dbt.dateadd('day', 1 - wau_days, 'running.change_date') }} as date)
        >= data_range.first_event_date as is_wau_window_complete,
        cast({{ dbt.dateadd('day', 1 - mau_days, 'running.change_date') }} as date)
        >= data_range.first_event_date as is_mau_window_complete
    from running
    cross join data_range
    where running.is_output_date = 1
)

select * from final
