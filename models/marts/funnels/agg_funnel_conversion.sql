{#-
    One row per funnel, entity type, entry week, acquisition channel and funnel step: how many
    entities that entered the funnel that week (their best attempt's step 1, as in
    fct_funnel_steps) reached the step. Every step of the funnel has a row, with 0 entities
    when none reached it.
-#}
with funnel_steps_reached as (
    select * from {{ ref('fct_funnel_steps') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

funnel_steps as (
    select * from {{ ref('funnel_steps') }}
),

-- An account's acquisition channel is that of its earliest-seen user (then smallest
-- user_key), among the users whose events make up its stream (not internal, not bots).
account_first_users as (
    select
        account_id,
        acquisition_channel,
        row_number() over (
            partition by account_id
            order by first_seen_at, user_key
        ) as seen_rank
    from users
    where
        account_id is not null
        and first_seen_at is not null
        and not is_internal
        and not is_bot
),

entity_channels as (
    select
        'user' as entity_type,
        user_key as entity_id,
        acquisition_channel
    from users
    union all
    select
        'account' as entity_type,
        account_id as entity_id,
        acquisition_channel
    from account_first_users
    where seen_rank = 1
),

entries as (
    select
        funnel_steps_reached.funnel_name,
        funnel_steps_reached.entity_type,
        funnel_steps_reached.entity_id,
        {{ reporting_period_start('funnel_steps_reached.reached_at', 'week') }} as entry_week,
        coalesce(entity_channels.acquisition_channel, 'unknown') as acquisition_channel
    from funnel_steps_reached
    left join entity_channels
        on
            funnel_steps_reached.entity_type = entity_channels.entity_type
            and funnel_steps_reached.entity_id = entity_channels.entity_id
    where funnel_steps_reached.step_number = 1
),

groups as (
    select distinct
        funnel_name,
        entity_type,
        entry_week,
        acquisition_channel
    from entries
),

reached_by_group as (
    select
        entries.funnel_name,
        entries.entity_type,
        entries.entry_week,
        entries.acquisition_channel,
        funnel_steps_reached.step_number,
        count(*) as entities,
        {{ median('funnel_steps_reached.seconds_from_previous_step') }}
            as median_seconds_from_previous
    from entries
    inner join funnel_steps_reached
        on
            entries.funnel_name = funnel_steps_reached.funnel_name
            and entries.entity_type = funnel_steps_reached.entity_type
            and entries.entity_id = funnel_steps_reached.entity_id
    group by
        entries.funnel_name,
        entries.entity_type,
        entries.entry_week,
        entries.acquisition_channel,
        funnel_steps_reached.step_number
),

grid as (
    select
        groups.funnel_name,
        groups.entity_type,
        groups.entry_week,
        groups.acquisition_channel,
        funnel_steps.step_number,
        funnel_steps.step_name,
        coalesce(reached_by_group.entities, 0) as entities,
        reached_by_group.median_seconds_from_previous
    from groups
    inner join funnel_steps
        on groups.funnel_name = funnel_steps.funnel_name
    left join reached_by_group
        on
            groups.funnel_name = reached_by_group.funnel_name
            and groups.entity_type = reached_by_group.entity_type
            and groups.entry_week = reached_by_group.entry_week
            and groups.acquisition_channel = reached_by_group.acquisition_channel
            and funnel_steps.step_number = reached_by_group.step_number
),

with_neighbours as (
    select
        *,
        max(case when step_number = 1 then entities end) over (
            partition by funnel_name, entity_type, entry_week, acquisition_channel
        ) as entered,
        lag(entities) over (
            partition by funnel_name, entity_type, entry_week, acquisition_channel
            order by step_number
        ) as previous_entities
    from grid
),

final as (
    select
        funnel_name,
        entity_type,
        entry_week,
        acquisition_channel,
        cast(step_number as {{ dbt.type_bigint() }}) as step_number,
        step_name,
        cast(entities as {{ dbt.type_bigint() }}) as entities,
        cast(
            {{ safe_divide('cast(entities as ' ~ type_double() ~ ')', 'entered') }}
            as {{ type_double() }}
        ) as conversion_from_entry,
        cast(
            case
                when step_number = 1 then 1.0
                else {{ safe_divide('cast(entities as ' ~ type_double() ~ ')', 'previous_entities') }}
            end
            as {{ type_double() }}
        ) as conversion_from_previous,
        cast(median_seconds_from_previous as {{ type_double() }})
            as median_seconds_from_previous
    from with_neighbours
)

select * from final
