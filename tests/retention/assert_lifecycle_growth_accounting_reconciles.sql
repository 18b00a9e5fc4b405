-- Growth accounting reconciles, period by period: the users active in a period (counted
-- here straight from fct_events) = new + returning + resurrecting in agg_lifecycle, and the
-- users active in the previous period = returning + dormant. Returns each period where
-- either fails.
{%- set grain = var('lifecycle_grain') %}

with events as (
    select * from {{ ref('fct_events') }}
),

lifecycle as (
    select * from {{ ref('agg_lifecycle') }}
),

active_users as (
    select
        {{ reporting_period_start('event_at', grain) }} as period_start,
        count(distinct user_key) as active_users
    from events
    where
        {{ event_name_in(
            'event_name', var('retention_activity_event_names'), 'retention_activity_event_names'
        ) }}
    group by {{ reporting_period_start('event_at', grain) }}
),

statuses as (
    select
        period_start,
        sum(case when status in ('new', 'returning', 'resurrecting') then users else 0 end)
            as accounted_active_users,
        sum(case when status in ('returning', 'dormant') then users else 0 end)
            as accounted_previous_users
    from lifecycle
    group by period_start
),

compared as (
    select
        coalesce(active_users.period_start, statuses.period_start) as period_start,
        active_users.active_users,
        statuses.accounted_active_users,
        previous_period.active_users as previous_active_users,
        statuses.accounted_previous_users
    from active_users
    full outer join statuses
        on active_users.period_start = statuses.period_start
    left join active_users as previous_period
        on
            previous_period.period_start = cast(
                {{ dbt.dateadd(
                    grain, -1, 'coalesce(active_users.period_start, statuses.period_start)'
                ) }} as date
            )
),

final as (
    select * from compared
    where
        coalesce(active_users, 0) != coalesce(accounted_active_users, 0)
        or coalesce(previous_active_users, 0) != coalesce(accounted_previous_users, 0)
)

select * from final
