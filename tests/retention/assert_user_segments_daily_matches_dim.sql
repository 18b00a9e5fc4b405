-- fct_user_segments_daily (rolling windows over a date grid) and dim_user_segments (plain
-- aggregates as of one date) compute the same definitions two ways: on the as-of date, when
-- it is in the daily range, their rows must be equal. Returns each user where they differ.
with dim as (
    select * from {{ ref('dim_user_segments') }}
),

daily as (
    select * from {{ ref('fct_user_segments_daily') }}
),

as_of as (
    select max(as_of_date) as as_of_date
    from dim
),

daily_on_as_of as (
    select daily.*
    from daily
    inner join as_of
        on daily.segment_date = as_of.as_of_date
),

in_range as (
    select count(*) as rows_in_range
    from daily_on_as_of
),

final as (
    select
        coalesce(dim.user_key, daily_on_as_of.user_key) as user_key,
        dim.segment as dim_segment,
        daily_on_as_of.segment as daily_segment
    from dim
    full outer join daily_on_as_of
        on dim.user_key = daily_on_as_of.user_key
    cross join in_range
    where
        in_range.rows_in_range > 0
        and (
            dim.user_key is null
            or daily_on_as_of.user_key is null
            or dim.segment != daily_on_as_of.segment
            or dim.core_active_days_in_window != daily_on_as_of.core_active_days_in_window
            or dim.is_power_user != daily_on_as_of.is_power_user
            or dim.is_churn_risk_short_term != daily_on_as_of.is_churn_risk_short_term
            or dim.is_churn_risk_long_term != daily_on_as_of.is_churn_risk_long_term
        )
)

select * from final
