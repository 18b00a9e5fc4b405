{#-
    One row per day, event, property and violation type of the tracking plan (seed
    tracking_plan): how many calls broke it, and one of them. Every usable call counts once
    (the staged calls: deduplicated, not quarantined; bots and internal users included, since
    this is about what the apps send). Definitions in the model's YAML.
-#}
{%- set tables = event_property_columns() %}

with plan as (
    select * from {{ ref('tracking_plan') }}
),

tracks as (
    select * from {{ ref('stg_segment__tracks') }}
),

pages as (
    select * from {{ ref('stg_segment__pages') }}
),

identifies as (
    select * from {{ ref('stg_segment__identifies') }}
),

planned_events as (
    select distinct
        {{ normalize_event_name('plan.event_name') }} as event_name,
        plan.event_name as planned_event_name
    from plan
),

planned_properties as (
    select
        {{ normalize_event_name('plan.event_name') }} as event_name,
        lower(plan.property_name) as property_name,
        lower(plan.property_type) as property_type,
        coalesce(plan.is_required, false) as is_required,
        plan.allowed_values
    from plan
    where plan.property_name is not null
),

-- The per-event rows of usable track calls, one per call and property (earliest copy).
property_rows as (
    {{ event_property_rows(tables, 'tracks') }}
),

properties as (
    select
        ranked.event_id,
        tracks.event_name,
        ranked.property_name,
        ranked.value_text,
        ranked.value_number,
        ranked.value_boolean,
        ranked.value_timestamp,
        tracks.event_at
    from (
        select
            *,
            row_number() over (
                partition by event_id, property_name
                order by received_at, value_text
            ) as copy_rank
        from property_rows
    ) as ranked
    inner join tracks
        on ranked.event_id = tracks.event_id
    where ranked.copy_rank = 1
),

-- Each property value beside what the plan says of it (nothing: an unplanned property).
checked_properties as (
    select
        properties.*,
        planned_properties.property_name is not null as is_planned,
        planned_properties.property_type,
        planned_properties.allowed_values
    from properties
    left join planned_properties
        on
            properties.event_name = planned_properties.event_name
            and properties.property_name = planned_properties.property_name
),

per_event_calls as (
    select distinct
        event_id,
        event_name,
        event_at
    from properties
),

identified_devices as (
    select
        anonymous_id,
        min(event_at) as first_identified_at
    from identifies
    where anonymous_id is not null
    group by anonymous_id
),

calls as (
    select
        event_id,
        anonymous_id,
        user_id,
        event_name,
        event_at
    from tracks
    union all
    select
        event_id,
        anonymous_id,
        user_id,
        'page_viewed' as event_name,
        event_at
    from pages
),

violations as (
    select
        tracks.event_id,
        tracks.event_name,
        cast(null as {{ dbt.type_string() }}) as property_name,
        'unplanned_event' as violation_type,
        tracks.event_at
    from tracks
    where tracks.event_name not in (select planned_events.event_name from planned_events)

    union all

    select
        tracks.event_id,
        tracks.event_name,
        cast(null as {{ dbt.type_string() }}) as property_name,
        'non_standard_event_name' as violation_type,
        tracks.event_at
    from tracks
    inner join planned_events
        on tracks.event_name = planned_events.event_name
    where
        tracks.event_text is not null
        and tracks.event_text != planned_events.planned_event_name

    union all

    select
        calls.event_id,
        calls.event_name,
        cast(null as {{ dbt.type_string() }}) as property_name,
        'missing_user_id_after_identify' as violation_type,
        calls.event_at
    from calls
    inner join identified_devices
        on calls.anonymous_id = identified_devices.anonymous_id
    where
        calls.user_id is null
        and identified_devices.first_identified_at < calls.event_at

    union all

    select
        event_id,
        event_name,
        property_name,
        'unplanned_property' as violation_type,
        event_at
    from checked_properties
    where not is_planned and value_text is not null

    union all

    select
        per_event_calls.event_id,
        per_event_calls.event_name,
        planned_properties.property_name,
        'missing_required_property' as violation_type,
        per_event_calls.event_at
    from per_event_calls
    inner join planned_properties
        on per_event_calls.event_name = planned_properties.event_name
    left join properties
        on
            per_event_calls.event_id = properties.event_id
            and planned_properties.property_name = properties.property_name
    where
        planned_properties.is_required
        and properties.value_text is null

    union all

    select
        event_id,
        event_name,
        property_name,
        'wrong_type' as violation_type,
        event_at
    from checked_properties
    where
        value_text is not null
        and (
            (property_type = 'number' and value_number is null)
            or (property_type = 'boolean' and value_boolean is null)
            or (property_type = 'timestamp' and value_timestamp is null)
        )

    union all

    select
        event_id,
        event_name,
        property_name,
        'value_not_allowed' as violation_type,
        event_at
    from checked_properties
    where
        allowed_values is not null
        and value_text is not null
        and {{ dbt.position("'|' || value_text || '|'", "'|' || allowed_values || '|'") }} = 0
),

final as (
    select
        cast({{ to_reporting_timestamp('event_at') }} as date) as event_date,
        event_name,
        property_name,
        violation_type,
        min(event_id) as example_event_id,
        cast(count(*) as {{ dbt.type_bigint() }}) as violations
    from violations
    group by
        cast({{ to_reporting_timestamp('event_at') }} as date),
        event_name,
        property_name,
        violation_type
)

select * from final
