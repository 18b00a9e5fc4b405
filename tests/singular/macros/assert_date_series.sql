-- date_series: each case's bounds and grain with the number of dates, the first and the last
-- written by hand. Returns mismatches.
with day_bounds as (
    select bounds_table.* from (
        values
        -- reaches back to var earliest_plausible_date (no calendar table bounds it)
        ('days from 2000', cast('2000-01-01' as date), cast('2000-01-03' as date)),
        ('a single day', cast('2024-02-28' as date), cast('2024-02-28' as date)),
        ('across a leap day', cast('2024-02-28' as date), cast('2024-03-01' as date)),
        -- an end before the start, or none: the start alone
        ('end before start', cast('2024-03-01' as date), cast('2024-02-01' as date)),
        ('no end', cast('2024-03-01' as date), cast(null as date)),
        -- no start: no date
        ('no start', cast(null as date), cast('2024-03-01' as date))
    ) as bounds_table (case_name, start_date, end_date)
),

week_bounds as (
    select bounds_table.* from (
        values
        ('weeks', cast('2024-01-01' as date), cast('2024-01-29' as date))
    ) as bounds_table (case_name, start_date, end_date)
),

month_bounds as (
    select bounds_table.* from (
        values
        ('months across a year', cast('2023-11-01' as date), cast('2024-02-01' as date))
    ) as bounds_table (case_name, start_date, end_date)
),

series as (
    select
        case_name,
        {{ date_series('start_date', 'end_date') }} as series_date
    from day_bounds
    union all
    select
        case_name,
        {{ date_series('start_date', 'end_date', 'week') }} as series_date
    from week_bounds
    union all
    select
        case_name,
        {{ date_series('start_date', 'end_date', 'month') }} as series_date
    from month_bounds
),

actual as (
    select
        case_name,
        count(*) as dates,
        min(series_date) as first_date,
        max(series_date) as last_date
    from series
    group by case_name
),

expected as (
    select expected_table.* from (
        values
        ('days from 2000', 3, cast('2000-01-01' as date), cast('2000-01-03' as date)),
        ('a single day', 1, cast('2024-02-28' as date), cast('2024-02-28' as date)),
        ('across a leap day', 3, cast('2024-02-28' as date), cast('2024-03-01' as date)),
        ('end before start', 1, cast('2024-03-01' as date), cast('2024-03-01' as date)),
        ('no end', 1, cast('2024-03-01' as date), cast('2024-03-01' as date)),
        ('no start', 0, cast(null as date), cast(null as date)),
        ('weeks', 5, cast('2024-01-01' as date), cast('2024-01-29' as date)),
        ('months across a year', 4, cast('2023-11-01' as date), cast('2024-02-01' as date))
    ) as expected_table (case_name, dates, first_date, last_date)
),

final as (
    select
        expected.case_name,
        expected.dates as expected_dates,
        coalesce(actual.dates, 0) as actual_dates,
        expected.first_date as expected_first_date,
        actual.first_date as actual_first_date,
        expected.last_date as expected_last_date,
        actual.last_date as actual_last_date
    from expected
    left join actual
        on expected.case_name = actual.case_name
    where
        coalesce(actual.dates, 0) <> expected.dates
        or actual.first_date is distinct from expected.first_date
        or actual.last_date is distinct from expected.last_date
)

select * from final
