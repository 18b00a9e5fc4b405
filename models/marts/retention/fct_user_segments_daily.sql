{#-
    One row per signed-up user (not internal, not a bot) and date of the reporting range, from
    the first date on which the user had signed up by the end of the day: the segment and
    flags as of the end of that date, exactly as dim_user_segments takes them for its as-of
    date. The range is var('segments_daily_days') dates ending on var('segments_daily_end_date')
    (null = the segments as-of date), or from var('segments_daily_start_date') when set.
    Incremental: recomputes the users int_users_changed found changed since its last run;
    when the range's last date moved (every user gains or loses dates), every user. The
    pre-hook deletes the rows recomputed first (delete_changed_users).
-#}
{#- append: the pre-hook has deleted every stored row of the users the model writes. #}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_users(recompute_all=as_of_moved(
            'segment_date',
            latest_event_date(date_vars=['segments_daily_end_date', 'segments_as_of_date'])
        )) }}",
    )
}}

-- Read only on incremental runs (also by the pre-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_users_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

{%- set window_days = var('power_user_window_days') | int %}
{%- set range_days = var('segments_daily_days') | int %}
{%- set as_of_date = date_var('segments_as_of_date') %}
{%- set start_date = date_var('segments_daily_start_date') %}
{%- set end_date = date_var('segments_daily_end_date') %}
{%- if window_days < 1 or range_days < 1 %}
    {{ exceptions.raise_compiler_error(
        "vars power_user_window_days and segments_daily_days must be at least 1"
    ) }}
{%- endif %}
{%- set recompute_some = is_incremental() and not as_of_moved(
    'segment_date',
    latest_event_date(date_vars=['segments_daily_end_date', 'segments_as_of_date'])
) %}

with all_events as (
    select * from {{ ref('fct_events') }}
),

events as (
    select * from all_events
    {%- if recompute_some %}
    where user_key in ({{ changed_users() }})
    {%- endif %}
),

users as (
    select * from {{ ref('dim_users') }}
    {%- if recompute_some %}
    where user_key in ({{ changed_users() }})
    {%- endif %}
),

latest_events as (
    select max(event_date) as latest_event_date
    from all_events
),

range_ends as (
    select {{ end_date or as_of_date or 'latest_event_date' }} as range_end_date
    from latest_events
),

date_range as (
    select
        {%- if start_date is not none %}
        {{ start_date }} as range_start_date,
        {%- else %}
        cast({{ dbt.dateadd('day', -(range_days - 1), 'range_end_date') }} as date)
            as range_start_date,
        {%- endif %}
        range_end_date
    from range_ends
),

-- Every date of the range, and the window_days - 1 dates before it that the first dates'
-- power-user windows reach back to.
date_spine as (
    select
        {{ date_series(
            'cast(' ~ dbt.dateadd('day', -(window_days - 1), 'range_start_date') ~ ' as date)',
            'range_end_date'
        ) }} as spine_date
    from date_range
),

days as (
    select
        spine_date,
        {{ from_reporting_timestamp(
            'cast(' ~ dbt.dateadd('day', 1, 'spine_date') ~ ' as ' ~ dbt.type_timestamp() ~ ')'
        ) }} as day_end_at
    from date_spine
),

signed_up as (
    select
        users.user_key,
        users.signed_up_at
    from users
    cross join date_range
    where
        users.signed_up_at is not null
        and cast({{ to_reporting_timestamp('users.signed_up_at') }} as date)
        <= date_range.range_end_date
        and not users.is_internal
        and not users.is_bot
),

core_events as (
    select
        events.user_key,
        events.event_date,
        events.event_at
    from events
    inner join signed_up
        on events.user_key = signed_up.user_key
    where
        {{ event_matches(
            'events', var('core_action_event_names'), 'core_action_event_names',
            empty_means_any=false
        ) }}
),

core_days as (
    select
        user_key,
        event_date,
        max(event_at) as last_core_action_at
    from core_events
    group by user_key, event_date
),

-- The last core action before the spine's first date, for users inactive since.
core_before_spine as (
    select
        core_events.user_key,
        max(core_events.event_at) as last_core_action_at
    from core_events
    where core_events.event_date < (select min(days.spine_date) from days)
    group by core_events.user_key
),

activations as (
    select
        events.user_key,
        min(events.event_at) as activated_at
    from events
    inner join signed_up
        on events.user_key = signed_up.user_key
    where events.event_name = '{{ var("activation_event_name") }}'
    group by events.user_key
),

grid as (
    select
        signed_up.user_key,
        days.spine_date,
        days.day_end_at,
        signed_up.signed_up_at,
        core_days.last_core_action_at as core_action_of_day_at,
        case when core_days.user_key is null then 0 else 1 end as is_core_day
    from signed_up
    cross join days
    left join core_days
        on
            signed_up.user_key = core_days.user_key
            and days.spine_date = core_days.event_date
),

-- The spine is dense, so a frame of window_days rows is window_days dates.
rolled as (
    select
        grid.user_key,
        grid.spine_date,
        grid.day_end_at,
        grid.signed_up_at,
        sum(grid.is_core_day) over (
            partition by grid.user_key
            order by grid.spine_date
            rows between {{ window_days - 1 }} preceding and current row
        ) as core_active_days,
        coalesce(
            max(grid.core_action_of_day_at) over (
                partition by grid.user_key
                order by grid.spine_date
                rows between unbounded preceding and current row
            ),
            core_before_spine.last_core_action_at
        ) as last_core_action_at
    from grid
    left join core_before_spine
        on grid.user_key = core_before_spine.user_key
),

as_of_day as (
    select
        rolled.user_key,
        rolled.spine_date,
        rolled.day_end_at,
        rolled.signed_up_at,
        rolled.core_active_days,
        rolled.last_core_action_at,
        case
            when activations.activated_at < rolled.day_end_at then activations.activated_at
        end as activated_at
    from rolled
    cross join date_range
    left join activations
        on rolled.user_key = activations.user_key
    where
        rolled.spine_date >= date_range.range_start_date
        and rolled.signed_up_at < rolled.day_end_at
),

final as (
    select
        user_key,
        spine_date as segment_date,
        {{ user_segment_columns(
            'day_end_at', 'signed_up_at', 'activated_at', 'last_core_action_at',
            'core_active_days'
        ) }},
        {{ run_timestamp() }} as processed_at
    from as_of_day
)

select * from final
