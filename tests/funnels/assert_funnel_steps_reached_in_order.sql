-- In fct_funnel_steps every step after the first follows a row of the previous step of the
-- same entity, no earlier than it, and within the funnel's window of step 1; step 1 has no
-- previous-step time and 0 s from entry. Returns each row that breaks this.
with steps as (
    select * from {{ ref('fct_funnel_steps') }}
),

funnel_steps as (
    select * from {{ ref('funnel_steps') }}
),

windows as (
    select
        funnel_name,
        coalesce(
            max(conversion_window_days), {{ var('funnel_conversion_window_days') }}
        ) * 86400 as window_seconds
    from funnel_steps
    group by funnel_name
),

final as (
    select
        steps.funnel_name,
        steps.entity_type,
        steps.entity_id,
        steps.step_number
    from steps
    inner join windows
        on steps.funnel_name = windows.funnel_name
    left join steps as previous
        on
            steps.funnel_name = previous.funnel_name
            and steps.entity_type = previous.entity_type
            and steps.entity_id = previous.entity_id
            and steps.step_number = previous.step_number + 1
    where
        (steps.step_number = 1 and (
            steps.seconds_from_previous_step is not null or steps.seconds_from_entry <> 0
        ))
        or (steps.step_number > 1 and (
            previous.reached_at is null
            or previous.reached_at > steps.reached_at
            or steps.event_id = previous.event_id
            or steps.seconds_from_entry > windows.window_seconds
        ))
)

select * from final
