{#-
    One row per cohort date (first_seen_date), acquisition channel and conversion window of
    var('conversion_windows'): how many users of the zero-order population (fct_order_conversion)
    placed their first completed order within the window. Windows: same_day (the same calendar
    day in var('reporting_timezone')) or a number N of days (first order no later than
    N x 24 h after first seen, inclusive). Any other window: the conversion_within macro.
-#}
{%- set windows = var('conversion_windows') %}
{%- set bad_windows = [] %}
{%- for window in windows if window != 'same_day' and (window is not number or window < 0) %}
{%- do bad_windows.append(window) %}
{%- endfor %}
{%- if bad_windows %}
{%- do exceptions.raise_compiler_error(
    "var('conversion_windows'): each entry must be same_day or a number of days >= 0; got "
    ~ bad_windows | join(', ')
) %}
{%- endif %}

with conversions as (
    select * from {{ ref('fct_order_conversion') }}
),

events as (
    select * from {{ ref('fct_events') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

-- The latest moment the data covers: the last event or order.
latest as (
    select max(event_at) as observed_at from events
    union all
    select max(ordered_at) as observed_at from orders
),

observed as (
    select
        max(observed_at) as observed_until_at,
        cast(max({{ to_reporting_timestamp('observed_at') }}) as date) as observed_until_date
    from latest
),

cohorts as (
    select
        first_seen_date as cohort_date,
        coalesce(acquisition_channel, 'unknown') as acquisition_channel,
        max(first_seen_at) as last_first_seen_at
    from conversions
    group by first_seen_date, coalesce(acquisition_channel, 'unknown')
),

windows as (
    {%- for window in windows %}
    {%- if window == 'same_day' %}
    select
        'same_day' as conversion_window,
        cast(null as {{ dbt.type_bigint() }}) as window_days,
        first_seen_date as cohort_date,
        coalesce(acquisition_channel, 'unknown') as acquisition_channel,
        count(*) as users,
        sum(case when converted_same_day then 1 else 0 end) as converted_users,
        avg(case when converted_same_day then 1.0 else 0.0 end) as conversion_rate
    from conversions
    group by first_seen_date, coalesce(acquisition_channel, 'unknown')
    {%- else %}
    select
        '{{ window }}d' as conversion_window,
        cast({{ window }} as {{ dbt.type_bigint() }}) as window_days,
        within_window.*
    from ({{ conversion_within(window * 24, 'conversions') }}) as within_window
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        windows.cohort_date,
        windows.acquisition_channel,
        windows.conversion_window,
        windows.window_days,
        cast(windows.users as {{ dbt.type_bigint() }}) as users,
        cast(windows.converted_users as {{ dbt.type_bigint() }}) as converted_users,
        cast(windows.conversion_rate as {{ type_double() }}) as conversion_rate,
        case
            when windows.window_days is null
                then observed.observed_until_date > windows.cohort_date
            else
                {{ dbt.dateadd('day', 'windows.window_days', 'cohorts.last_first_seen_at') }}
                <= observed.observed_until_at
        end as is_window_complete
    from windows
    inner join cohorts
        on
            windows.cohort_date = cohorts.cohort_date
            and windows.acquisition_channel = cohorts.acquisition_channel
    cross join observed
)

select * from final
