-- Every funnel of the funnel_steps seed is usable: steps numbered 1..n without gaps, at most
-- var('funnel_max_steps') of them (the funnel SQL is unrolled to at most that depth), one
-- conversion window (all non-blank values agree) and it is not negative, and a step with a
-- property condition names its value. Returns each broken funnel.
with funnel_steps as (
    select * from {{ ref('funnel_steps') }}
),

funnels as (
    select
        funnel_name,
        count(*) as steps,
        min(step_number) as first_step,
        max(step_number) as last_step,
        count(distinct conversion_window_days) as windows,
        min(conversion_window_days) as smallest_window,
        sum(
            case when property_name is not null and property_value is null then 1 else 0 end
        ) as conditions_without_value
    from funnel_steps
    group by funnel_name
),

checked as (
    select
        funnel_name,
        case
            when first_step <> 1 or last_step <> steps
                then 'steps must be numbered 1, 2, ... without gaps'
            when steps > {{ var('funnel_max_steps') }}
                then 'more than var funnel_max_steps ({{ var("funnel_max_steps") }}) steps'
            when windows > 1
                then 'conversion_window_days differs between the rows of the funnel'
            when smallest_window < 0
                then 'conversion_window_days is negative'
            when conditions_without_value > 0
                then 'a step has a property_name but no property_value'
        end as problem
    from funnels
),

final as (
    select * from checked
    where problem is not null
)

select * from final
