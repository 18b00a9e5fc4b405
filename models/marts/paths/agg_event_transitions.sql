{#-
    One row per event name and the event name that comes next in the same session (or the
    session's end): how often, by how many users, and how long after. One window pass (lead
    over each session's events in time order) and one group by.
-#}
{%- set session_end = "'(session end)'" %}

with events as (
    select
        session_id,
        user_key,
        event_id,
        event_name,
        event_at
    from {{ ref('fct_events') }}
    where
        session_id is not null
        {%- if not var('path_include_page_views') %}
        and event_source = 'track'
        {%- endif %}
),

next_events as (
    select
        user_key,
        event_name,
        event_at,
        lead(event_name) over (
            partition by session_id order by event_at, event_id
        ) as next_event_name,
        lead(event_at) over (
            partition by session_id order by event_at, event_id
        ) as next_event_at
    from events
),

transitions as (
    select
        event_name as from_event_name,
        coalesce(next_event_name, {{ session_end }}) as to_event_name,
        next_event_name is null as is_session_end,
        count(*) as transitions,
        count(distinct user_key) as users,
        {{ median(seconds_between('event_at', 'next_event_at')) }} as median_seconds_between
    from next_events
    group by
        event_name,
        coalesce(next_event_name, {{ session_end }}),
        next_event_name is null
),

final as (
    select
        from_event_name,
        to_event_name,
        cast(transitions as {{ dbt.type_bigint() }}) as transitions,
        cast(
            {{ safe_divide(
                'cast(transitions as ' ~ type_double() ~ ')',
                'cast(sum(transitions) over (partition by from_event_name) as ' ~ type_double() ~ ')'
            ) }}
            as {{ type_double() }}
        ) as share_of_from_event,
        cast(users as {{ dbt.type_bigint() }}) as users,
        cast(median_seconds_between as {{ type_double() }}) as median_seconds_between,
        is_session_end
    from transitions
)

select * from final
