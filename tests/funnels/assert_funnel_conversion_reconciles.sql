-- agg_funnel_conversion adds up to fct_funnel_steps: per funnel, entity type and step, the
-- entities of all weeks and channels equal the entities with a row for that step; and in
-- each group entities never rise from one step to the next. Returns each mismatch.
with conversion as (
    select * from {{ ref('agg_funnel_conversion') }}
),

steps as (
    select * from {{ ref('fct_funnel_steps') }}
),

from_agg as (
    select
        funnel_name,
        entity_type,
        step_number,
        sum(entities) as entities
    from conversion
    group by funnel_name, entity_type, step_number
),

from_steps as (
    select
        funnel_name,
        entity_type,
        step_number,
        count(*) as entities
    from steps
    group by funnel_name, entity_type, step_number
),

mismatched_totals as (
    select
        coalesce(from_agg.funnel_name, from_steps.funnel_name) as funnel_name,
        coalesce(from_agg.entity_type, from_steps.entity_type) as entity_type,
        coalesce(from_agg.step_number, from_steps.step_number) as step_number,
        'totals differ' as problem
    from from_agg
    full outer join from_steps
        on
            from_agg.funnel_name = from_steps.funnel_name
            and from_agg.entity_type = from_steps.entity_type
            and from_agg.step_number = from_steps.step_number
    where coalesce(from_agg.entities, 0) <> coalesce(from_steps.entities, 0)
),

rising as (
    select
        conversion.funnel_name,
        conversion.entity_type,
        conversion.step_number,
        'entities rise after a step' as problem
    from conversion
    inner join conversion as previous
        on
            conversion.funnel_name = previous.funnel_name
            and conversion.entity_type = previous.entity_type
            and conversion.entry_week = previous.entry_week
            and conversion.acquisition_channel = previous.acquisition_channel
            and conversion.step_number = previous.step_number + 1
    where conversion.entities > previous.entities
),

final as (
    select * from mismatched_totals
    union all
    select * from rising
)

select * from final
