{#-
    One row per user, segment and stay (a run of consecutive dates of fct_user_segments_daily
    in the segment): when the user entered it, when they left it (null while still in it) and
    whether the stay began before the range's first date. Segments: each value of the segment
    label, and each boolean flag (named by its column) on the dates it is true. Gaps and
    islands: a stay is a run of the user's dates whose day number (over all of the user's
    dates) minus its number among the segment's dates stays the same.
-#}
{#- The boolean segment columns of fct_user_segments_daily (macro user_segment_columns). -#}
{%- set segment_flags = ['is_power_user', 'is_churn_risk_short_term', 'is_churn_risk_long_term'] %}

with segments_daily as (
    select * from {{ ref('fct_user_segments_daily') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

user_days as (
    select
        user_key,
        segment_date,
        segment,
        {%- for flag in segment_flags %}
        {{ flag }},
        {%- endfor %}
        row_number() over (partition by user_key order by segment_date) as user_day_number,
        lead(segment_date) over (partition by user_key order by segment_date)
            as next_segment_date,
        min(segment_date) over (partition by user_key) as user_first_date
    from segments_daily
),

segment_columns as (
    select
        'label' as segment_kind,
        'segment' as segment_column
    {%- for flag in segment_flags %}
    union all
    select
        'flag' as segment_kind,
        '{{ flag }}' as segment_column
    {%- endfor %}
),

-- One row per user, date and segment the user is in that day.
memberships as (
    select
        user_days.user_key,
        segment_columns.segment_kind,
        case segment_columns.segment_column
            when 'segment' then user_days.segment
            {%- for flag in segment_flags %}
            when '{{ flag }}' then case when user_days.{{ flag }} then '{{ flag }}' end
            {%- endfor %}
        end as segment,
        user_days.segment_date,
        user_days.user_day_number,
        user_days.next_segment_date,
        user_days.user_first_date
    from user_days
    cross join segment_columns
),

islands as (
    select
        user_key,
        segment_kind,
        segment,
        segment_date,
        next_segment_date,
        user_first_date,
        user_day_number - row_number() over (
            partition by user_key, segment
            order by segment_date
        ) as island_number
    from memberships
    where segment is not null
),

-- next_segment_date grows with the date within a stay: its maximum is the last date's, unless
-- that is null (the user's last date), when it is the last date itself.
stays as (
    select
        user_key,
        segment_kind,
        segment,
        min(segment_date) as entered_date,
        max(segment_date) as last_date_in_segment,
        case
            when max(next_segment_date) > max(segment_date) then max(next_segment_date)
        end as left_date,
        count(*) as days_in_segment,
        min(user_first_date) as user_first_date
    from islands
    group by user_key, segment_kind, segment, island_number
),

final as (
    select
        {{ surrogate_key(['stays.user_key', 'stays.segment', 'stays.entered_date']) }}
            as segment_stay_key,
        stays.user_key,
        stays.segment,
        stays.segment_kind,
        cast(stays.days_in_segment as {{ dbt.type_bigint() }}) as days_in_segment,
        stays.left_date is null as is_current,
        coalesce(
            stays.entered_date = stays.user_first_date
            and users.signed_up_date < stays.entered_date,
            false
        ) as is_entered_before_range,
        stays.entered_date,
        stays.last_date_in_segment,
        stays.left_date
    from stays
    left join users
        on stays.user_key = users.user_key
)

select * from final
