{#-
    One row per path: the sequence of events each user did from their first start event
    (var('path_start_event_name'), default the signup event) on, up to var('path_steps')
    steps, or up to the end event (var('path_end_event_name')) when one is set.

    How it stays cheap at tens of millions of events: the users' first start events come from
    one group by; a hash join keeps only the events at or after them (anonymous visitors who
    never had the start event drop out here); one window pass drops repeated events (lag) and
    a second, over what is left, reads each start event's next N - 1 events with lead(). No
    self-join, no recursion: the step columns are unrolled with a Jinja loop.
-#}
{%- set start_event = var('path_start_event_name') or var('signup_event_name', 'signed_up') %}
{%- set end_event = var('path_end_event_name') %}
{%- set steps = var('path_steps') | int %}
{%- set page_views = var('path_include_page_views') %}
{%- if steps < 2 %}
    {{ exceptions.raise_compiler_error("var path_steps must be 2 or more, not " ~ steps) }}
{%- endif %}
{%- for name in [start_event, end_event] if name == 'page_viewed' and not page_views %}
    {{ exceptions.raise_compiler_error(
        "page_viewed is a path start or end event but var path_include_page_views is false"
    ) }}
{%- endfor %}
{%- set start_literal = "'" ~ (start_event | replace("'", "''")) ~ "'" %}
{%- set end_literal = "'" ~ (end_event | replace("'", "''")) ~ "'" if end_event else none %}

-- Read twice (the start events, and the events after them): inlined into both.
with events as {{ inline_cte() }} (
    select
        user_key,
        session_id,
        event_id,
        event_name,
        event_at
    from {{ ref('fct_events') }}
    {%- if not page_views %}
    where event_source = 'track'
    {%- endif %}
),

-- Each user's first start event (earliest event_at, then smallest event_id).
start_events as (
    select
        user_key,
        {{ first_in_order('event_id', ['event_at', 'event_id']) }} as start_event_id,
        {{ first_in_order('session_id', ['event_at', 'event_id']) }} as start_session_id,
        min(event_at) as start_at
    from events
    where event_name = {{ start_literal }}
    group by user_key
),

-- The start event and the events after it in the user's timeline (an event at the same
-- event_at comes after it when its event_id is larger), with the previous one's name.
after_start as (
    select
        events.user_key,
        events.event_id,
        events.event_name,
        events.event_at,
        start_events.start_event_id,
        lag(events.event_name) over (
            partition by events.user_key
            order by events.event_at, events.event_id
        ) as previous_event_name
    from events
    inner join start_events
        on events.user_key = start_events.user_key
    where
        (
            events.event_at > start_events.start_at
            or (
                events.event_at = start_events.start_at
                and events.event_id >= start_events.start_event_id
            )
        )
        -- var path_within_session: only the start event's session (a server-side start
        -- event has none: its path is the start alone)
        and (
            not {{ 'true' if var('path_within_session') else 'false' }}
            or events.session_id = start_events.start_session_id
            or events.event_id = start_events.start_event_id
        )
),

-- The steps: a run of consecutive same-name events is one step (var path_collapse_repeats),
-- timed at its first event. The start event is always the first row of its user.
step_events as (
    select
        user_key,
        event_id,
        start_event_id,
        event_name,
        {%- for offset in range(1, steps) %}
        lead(event_name, {{ offset }}) over timeline as event_name_{{ offset + 1 }},
        lead(event_at, {{ offset }}) over timeline as event_at_{{ offset + 1 }},
        {%- endfor %}
        event_at
    from after_start
    {%- if var('path_collapse_repeats') %}
    where previous_event_name is null or event_name <> previous_event_name
    {%- endif %}
    window timeline as (partition by user_key order by event_at, event_id)
),

-- One row per user: with an end event, step k is null once an earlier step (from step 2)
-- was the end event.
user_paths as (
    select
        user_key,
        event_name as step_1
        {%- for k in range(2, steps + 1) %}
        {%- set seconds = seconds_between(
            'event_at' ~ ('_' ~ (k - 1) if k > 2 else ''), 'event_at_' ~ k
        ) %}
        {%- if end_literal and k > 2 %},
        case
            when
                {%- for j in range(2, k) %}
                {{ 'or ' if not loop.first }}event_name_{{ j }} = {{ end_literal }}
                {%- endfor %}
                then null
            else event_name_{{ k }}
        end as step_{{ k }},
        case
            when
                {%- for j in range(2, k) %}
                {{ 'or ' if not loop.first }}event_name_{{ j }} = {{ end_literal }}
                {%- endfor %}
                then null
            else {{ seconds }}
        end as seconds_to_step_{{ k }}
        {%- else %},
        event_name_{{ k }} as step_{{ k }},
        {{ seconds }} as seconds_to_step_{{ k }}
        {%- endif %}
        {%- endfor %},
        {%- if end_literal %}
        coalesce(
            {%- for k in range(2, steps + 1) %}
            {{ 'or ' if not loop.first }}event_name_{{ k }} = {{ end_literal }}
            {%- endfor %},
            false
        ) as has_reached_end_event
        {%- else %}
        false as has_reached_end_event
        {%- endif %}
    from step_events
    where event_id = start_event_id
),

path_counts as (
    select
        {%- for k in range(1, steps + 1) %}
        step_{{ k }},
        {%- endfor %}
        has_reached_end_event,
        {%- for k in range(2, steps + 1) %}
        {{ median('seconds_to_step_' ~ k) }} as median_seconds_to_step_{{ k }},
        {%- endfor %}
        count(*) as users
    from user_paths
    group by
        {%- for k in range(1, steps + 1) %}
        step_{{ k }},
        {%- endfor %}
        has_reached_end_event
),

final as (
    select
        step_1
        {%- for k in range(2, steps + 1) %}
        || coalesce(' > ' || step_{{ k }}, '')
        {%- endfor %} as path,
        {%- for k in range(1, steps + 1) %}
        step_{{ k }},
        {%- endfor %}
        cast(rank() over (order by users desc) as {{ dbt.type_bigint() }}) as path_rank,
        cast(users as {{ dbt.type_bigint() }}) as users,
        cast(
            {{ safe_divide(
                'cast(users as ' ~ type_double() ~ ')',
                'cast(sum(users) over () as ' ~ type_double() ~ ')'
            ) }}
            as {{ type_double() }}
        ) as share_of_start_users,
        {%- for k in range(2, steps + 1) %}
        cast(median_seconds_to_step_{{ k }} as {{ type_double() }})
            as median_seconds_to_step_{{ k }},
        {%- endfor %}
        has_reached_end_event
    from path_counts
)

select * from final
