{#-
    One row per user and trait: the latest non-blank value of each trait that identify calls
    carry beyond the contract's columns (macro user_trait_columns: found at run time, direct
    identifiers left out), with when it was set. Definitions in the model's YAML.
-#}
{%- set tables = user_trait_columns() %}

-- event_id: the name event_property_rows filters on
with user_identifies as (
    select
        identify_id,
        identify_id as event_id,
        user_id,
        event_at
    from {{ ref('stg_segment__identifies') }}
    where user_id is not null
),

trait_rows as (
    {{ event_property_rows(tables, 'user_identifies') }}
),

-- A message delivered more than once: its earliest received copy.
copies as (
    select
        *,
        row_number() over (
            partition by event_id, property_name
            order by received_at, value_text
        ) as copy_rank
    from trait_rows
),

set_values as (
    select
        user_identifies.user_id,
        copies.property_name as trait_name,
        copies.value_text,
        copies.value_number,
        copies.value_boolean,
        copies.value_timestamp,
        user_identifies.identify_id,
        user_identifies.event_at as set_at,
        row_number() over (
            partition by user_identifies.user_id, copies.property_name
            order by user_identifies.event_at desc, user_identifies.identify_id desc
        ) as recency
    from copies
    inner join user_identifies
        on copies.event_id = user_identifies.identify_id
    where copies.copy_rank = 1 and copies.value_text is not null
),

final as (
    select
        user_id,
        trait_name,
        identify_id,
        value_text,
        value_number,
        value_boolean,
        value_timestamp,
        set_at
    from set_values
    where recency = 1
)

select * from final
