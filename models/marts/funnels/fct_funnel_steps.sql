{#-
    One row per funnel step reached by an entity (a user, or an account: all events of the
    users whose dim_users.account_id names it), in the entity's best attempt.

    Semantics (ordered funnels as in PostHog, ClickHouse's windowFunnel): every event of step 1
    opens an attempt; step k is reached by the earliest event of step k at or after step k-1's
    event, a different event than those of steps 1..k-1, and no later than step 1 + the
    funnel's window (inclusive). Among events of step k at that same earliest time, the
    smallest event_id is taken. The entity's result is its attempt that gets furthest; among
    those, the earliest (then the smallest step-1 event_id).

    How it stays near-linear: no attempt is joined to every later event. Steps are picked one
    at a time (the loop is unrolled to the deepest funnel): the earliest step-k event
    strictly after each path's step k-1 time comes from one sort of (paths + step-k events)
    per entity, newest first, with a running min; at exactly the step k-1 time, the first of
    the k smallest step-k event ids at that time that the path has not used (it used at most
    k-1). Each step reads the previous step once, so the plan grows linearly with the
    steps on an engine that inlines every CTE (Spark). Picks ignore
    the window (it only cuts a path short). Step 2 is picked for every attempt; attempts with
    the same step-2 event share the rest of the path, so steps 3.. are picked once per group,
    and each attempt then reaches the steps of its group's path within its own window.
    Only the attempts that may reach step 2 (a step-2 event of the entity between their step-1
    event and their deadline) enter the loop; an entity none of whose attempts reaches step 2
    reaches step 1 with its first attempt (see `best`).
    The events that can reach each step come from int_funnel_entity_events (page patterns,
    property conditions and account streams are resolved there).

    No plan depends on luck: PostgreSQL keeps no statistics on a CTE's columns and, joining
    on several columns, multiplies a default selectivity per column. With the entity as three
    join columns, over events filtered in CTEs, it estimated 1 row where there were 40,000
    and chose nested loops: 65 s or more than 16 min at 160k events, depending on the run.
    So the step events are a table with statistics, each step reads its events from that
    table (not from a CTE over it, which PostgreSQL would materialise without statistics),
    and every join of the loop is on one key column (entity_key) plus at most one time or
    event id, where the planner's guesses err on the large side and keep hash joins. The loop
    is unrolled to the deepest funnel of the seed (macro funnel_depth), not to the cap.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['funnel_name', 'entity_type', 'entity_id', 'step_number'],
        on_schema_change='fail',
        post_hook=[
            "{{ delete_unwritten_funnel_entities() }}",
            "{{ record_funnel_definitions() }}",
        ],
    )
}}

-- Read only on incremental runs (also by the post-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_funnel_entities_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}
{%- set max_steps = funnel_depth() %}
{%- set recompute_all = funnel_steps_recompute_all() %}
{%- set recomputed = '' %}
{%- if is_incremental() and not recompute_all %}
    {%- set recomputed -%}
        {{ ' ' }}and entity_key in ({{ changed_funnel_entities() }})
    {%- endset %}
{%- endif %}

-- An incremental run recomputes the entities int_funnel_entities_changed lists since the
-- model's last run (every entity when recompute_all), each step reading only theirs.
-- The step-1 events, read by three CTEs: inlined into each on a full build (scanning the
-- columns needed again is cheaper than storing tens of millions of rows first).
with entity_events as {{ inline_cte() }} (
    select
        funnel_name,
        entity_type,
        entity_id,
        entity_key,
        event_id,
        event_at
    from {{ ref('int_funnel_entity_events') }}
    where step_number = 1{{ recomputed }}
),

funnel_steps as (
    select * from {{ ref('funnel_steps') }}
),

funnels as (
    select
        funnel_name,
        coalesce(
            max(conversion_window_days), {{ var('funnel_conversion_window_days') }}
        ) as window_days
    from funnel_steps
    group by funnel_name
),

-- The first and last step-2 events of each entity: an attempt reaches step 2 only if one
-- falls between its step-1 event and its deadline.
step_2_bounds as (
    select
        entity_key,
        min(event_at) as first_step_2_at,
        max(event_at) as last_step_2_at
    from {{ ref('int_funnel_entity_events') }}
    where step_number = 2{{ recomputed }}
    group by entity_key
),

-- The attempts that may reach step 2, the only ones the path loop below follows: opened no
-- later than the entity's last step-2 event, with a deadline no earlier than its first. The
-- loop carries the entity as entity_key alone (its funnel, type and id are joined back from
-- first_attempts at the end): narrower rows to sort.
attempts as (
    select
        entity_events.entity_key,
        {{ dbt.dateadd('day', 'funnels.window_days', 'entity_events.event_at') }} as deadline_at,
        entity_events.event_id as step_1_event_id,
        entity_events.event_at as step_1_at
    from entity_events
    inner join step_2_bounds
        on entity_events.entity_key = step_2_bounds.entity_key
    inner join funnels
        on entity_events.funnel_name = funnels.funnel_name
    where
        entity_events.event_at <= step_2_bounds.last_step_2_at
        and {{ dbt.dateadd('day', 'funnels.window_days', 'entity_events.event_at') }}
        >= step_2_bounds.first_step_2_at
),

-- Each entity's first attempt (its first step-1 event, then the smallest event_id): its best
-- when no attempt reaches step 2. Two hash aggregates over the step-1 events; most entities of
-- a funnel whose step 1 is common (a page view) never reach step 2, and following all their
-- attempts through the path loop's sorts spilled more than 46 GB to disk at 100M events.
entry_times as (
    select
        entity_key,
        min(event_at) as first_at
    from entity_events
    group by entity_key
),

first_attempts as (
    select
        entity_events.funnel_name,
        entity_events.entity_type,
        entity_events.entity_id,
        entity_events.entity_key,
        min(entity_events.event_id) as step_1_event_id,
        entity_events.event_at as step_1_at
    from entity_events
    inner join entry_times
        on
            entity_events.entity_key = entry_times.entity_key
            and entity_events.event_at = entry_times.first_at
    group by
        entity_events.funnel_name,
        entity_events.entity_type,
        entity_events.entity_id,
        entity_events.entity_key,
        entity_events.event_at
),

{#- paths_k: each path extended by its step-k pick, regardless of the window (the window only
    cuts a path short, it never changes a pick). Step 2 is picked for every attempt; later
    steps only for one representative attempt per group (see `grouped`). Each step reads the
    previous one once (an engine that inlines CTEs, as Spark does, would otherwise plan the
    chain's start once per path through it: 3^steps copies). #}
{%- for k in range(2, max_steps + 1) %}
{%- set prev = k - 1 %}
{%- set source = 'attempts' if k == 2 else ('representatives' if k == 3 else 'paths_' ~ prev) %}
{#- The columns a path carries into step k, with their types (for the event rows). #}
{%- set carried = [('deadline_at', dbt.type_timestamp())] if k == 2 else [] %}
{%- for j in range(1, k) %}
{%- do carried.append(('step_' ~ j ~ '_event_id', dbt.type_string())) %}
{%- do carried.append(('step_' ~ j ~ '_at', dbt.type_timestamp())) %}
{%- endfor %}

-- Read from the table itself, so that the row estimate comes from its statistics.
events_{{ k }} as (
    select * from {{ ref('int_funnel_entity_events') }}
    where step_number = {{ k }}{{ recomputed }}
),

-- The paths, at their step-{{ prev }} time, merged with the step-{{ k }} events, newest
-- first; at the same time the paths come before the events, so the running min at a path is
-- the earliest step-{{ k }} event strictly after its step {{ prev }} (none for a path that
-- has no step {{ prev }}: nulls first).
timeline_{{ k }} as (
    select
        entity_key,
        {%- for column, type in carried %}
        {{ column }},
        {%- endfor %}
        step_{{ prev }}_at as sort_at,
        0 as is_event,
        cast(null as {{ dbt.type_timestamp() }}) as event_at
    from {{ source }}
    union all
    select
        entity_key,
        {%- for column, type in carried %}
        cast(null as {{ type }}) as {{ column }},
        {%- endfor %}
        event_at as sort_at,
        1 as is_event,
        event_at
    from events_{{ k }}
),

next_after_{{ k }} as (
    select
        entity_key,
        {%- for column, type in carried %}
        {{ column }},
        {%- endfor %}
        is_event,
        min(event_at) over (
            partition by entity_key
            order by sort_at desc nulls first, is_event asc
            rows between unbounded preceding and current row
        ) as next_event_at
    from timeline_{{ k }}
),

-- The {{ k }} first step-{{ k }} events (smallest ids) at each time: the first is the pick
-- after a later time; at the path's own step-{{ prev }} time the first the path has not used
-- (it used at most {{ prev }}).
firsts_at_time_{{ k }} as (
    select
        {%- for r in range(1, k + 1) %}
        min(case when rank_at_time = {{ r }} then event_id end) as event_id_{{ r }},
        {%- endfor %}
        entity_key,
        event_at
    from (
        select
            entity_key,
            event_at,
            event_id,
            row_number() over (
                partition by entity_key, event_at
                order by event_id
            ) as rank_at_time
        from events_{{ k }}
    ) as ranked_events
    where rank_at_time <= {{ k }}
    group by entity_key, event_at
),

-- Step-{{ k }} events at exactly the path's step-{{ prev }} time that the path has not used.
tied_{{ k }} as (
    select
        paths.entity_key,
        {%- for column, type in carried %}
        paths.{{ column }},
        {%- endfor %}
        paths.next_event_at,
        case
            {%- for r in range(1, k + 1) %}
            when candidates.event_id_{{ r }} not in (
                {%- for j in range(1, k) %}
                paths.step_{{ j }}_event_id{{ ',' if not loop.last }}
                {%- endfor %}
            ) then candidates.event_id_{{ r }}
            {%- endfor %}
        end as tied_event_id
    from next_after_{{ k }} as paths
    left join firsts_at_time_{{ k }} as candidates
        on
            paths.entity_key = candidates.entity_key
            and paths.step_{{ prev }}_at = candidates.event_at
    where paths.is_event = 0
),

paths_{{ k }} as (
    select
        paths.entity_key,
        {%- for column, type in carried %}
        paths.{{ column }},
        {%- endfor %}
        coalesce(paths.tied_event_id, first_at_time.event_id_1) as step_{{ k }}_event_id,
        case
            when paths.tied_event_id is not null then paths.step_{{ prev }}_at
            else first_at_time.event_at
        end as step_{{ k }}_at
    from tied_{{ k }} as paths
    left join firsts_at_time_{{ k }} as first_at_time
        on
            paths.entity_key = first_at_time.entity_key
            and paths.next_event_at = first_at_time.event_at
            and paths.tied_event_id is null
),
{%- if k == 2 %}

-- Attempts whose step 2 is the same event follow the same path from there on (their step-1
-- events come earlier, so cannot be picked again), unless the step-1 event shares step 2's
-- timestamp: such an attempt is a group of its own. Each group's path is computed once, for
-- its smallest step-1 event_id.
grouped as (
    select
        *,
        min(step_1_event_id) over (
            partition by
                entity_key,
                step_2_event_id,
                case when step_1_at = step_2_at then step_1_event_id end
        ) as group_event_id
    from paths_2
),

representatives as (
    select
        entity_key,
        step_1_event_id,
        step_1_at,
        step_2_event_id,
        step_2_at
    from grouped
    where step_1_event_id = group_event_id and step_2_at is not null
),
{%- endif %}
{%- endfor %}

-- Each attempt reaches the steps of its group's path that fall within its own window.
levels as (
    select
        grouped.entity_key,
        grouped.step_1_event_id,
        grouped.step_1_at,
        {%- for j in range(2, max_steps + 1) %}
        paths.step_{{ j }}_event_id,
        paths.step_{{ j }}_at,
        {%- endfor %}
        1
        {%- for j in range(2, max_steps + 1) %}
        + case when paths.step_{{ j }}_at <= grouped.deadline_at then 1 else 0 end
        {%- endfor %} as steps_reached
    from grouped
    left join paths_{{ max_steps }} as paths
        on
            grouped.entity_key = paths.entity_key
            and grouped.group_event_id = paths.step_1_event_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by entity_key
            order by steps_reached desc, step_1_at asc, step_1_event_id asc
        ) as attempt_rank
    from levels
),

best_of_paths as (
    select * from ranked
    where attempt_rank = 1 and steps_reached >= 2
),

-- Each entity's best attempt; when none reaches step 2, its first attempt (step 1 only).
best as (
    select
        first_attempts.funnel_name,
        first_attempts.entity_type,
        first_attempts.entity_id,
        coalesce(best_of_paths.steps_reached, 1) as steps_reached,
        {%- for j in range(2, max_steps + 1) %}
        best_of_paths.step_{{ j }}_event_id,
        best_of_paths.step_{{ j }}_at,
        {%- endfor %}
        coalesce(best_of_paths.step_1_event_id, first_attempts.step_1_event_id)
            as step_1_event_id,
        coalesce(best_of_paths.step_1_at, first_attempts.step_1_at) as step_1_at
    from first_attempts
    left join best_of_paths
        on first_attempts.entity_key = best_of_paths.entity_key
),

-- One row per step reached (the funnel's steps up to steps_reached).
reached as (
    select
        best.funnel_name,
        best.entity_type,
        best.entity_id,
        funnel_steps.step_number,
        funnel_steps.step_name,
        case funnel_steps.step_number
            {%- for j in range(1, max_steps + 1) %}
            when {{ j }} then best.step_{{ j }}_event_id
            {%- endfor %}
        end as event_id,
        case funnel_steps.step_number
            {%- for j in range(2, max_steps + 1) %}
            when {{ j }} then best.step_{{ j - 1 }}_at
            {%- endfor %}
        end as previous_at,
        best.step_1_at as entry_at,
        case funnel_steps.step_number
            {%- for j in range(1, max_steps + 1) %}
            when {{ j }} then best.step_{{ j }}_at
            {%- endfor %}
        end as reached_at
    from best
    inner join funnel_steps
        on
            best.funnel_name = funnel_steps.funnel_name
            and funnel_steps.step_number <= best.steps_reached
),

final as (
    select
        funnel_name,
        entity_type,
        entity_id,
        cast(step_number as {{ dbt.type_bigint() }}) as step_number,
        step_name,
        event_id,
        {{ seconds_between('previous_at', 'reached_at') }} as seconds_from_previous_step,
        {{ seconds_between('entry_at', 'reached_at') }} as seconds_from_entry,
        reached_at,
        {{ run_timestamp() }} as processed_at
    from reached
)

select * from final
