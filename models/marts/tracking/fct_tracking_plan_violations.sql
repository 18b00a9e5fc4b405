{#-
    One row per usable call and rule of the tracking plan (seed tracking_plan) it breaks, and
    per property for the property rules. Every usable call is checked (the staged calls:
    deduplicated, not quarantined; bots and internal users included, since this is about what
    the apps send). Definitions in the model's YAML.

    Incremental: recomputes the timelines that int_timelines_changed found changed since this
    model's last run (a call staged since, or an identify on the device: it can make the
    device's later anonymous calls break missing_user_id_after_identify), like fct_events, and
    its post-hook deletes what it had stored of them and did not write again. When the tracking
    plan or the per-event tables' property columns differ from those of the last run
    (tracking_plan_definitions, recorded as the table's comment), it recomputes every call.
-#}
{%- set tables = event_property_columns() %}
{%- set definitions = tracking_plan_definitions(tables) %}
{%- set recompute_all = definitions_changed(definitions) %}
{%- set changed_only = is_incremental() and not recompute_all %}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='timeline_key',
        on_schema_change='fail',
        post_hook=[
            "{{ delete_unwritten_timelines('timeline_key', recompute_all=definitions_changed(tracking_plan_definitions(event_property_columns()))) }}",
            "{{ record_definitions(tracking_plan_definitions(event_property_columns())) }}",
        ],
    )
}}

-- Read only on incremental runs (also by the post-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_timelines_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

with
{% if changed_only %}
changed_timelines as (
    {{ changed_timelines() }}
),

{% endif %}
plan as (
    select * from {{ ref('tracking_plan') }}
),

tracks as (
    select
        event_id,
        anonymous_id,
        user_id,
        event_name,
        event_text,
        event_at
    from {{ ref('stg_segment__tracks') }}
    {%- if changed_only %}
    where {{ calls_on_timelines('changed_timelines') }}
    {%- endif %}
),

pages as (
    select
        event_id,
        anonymous_id,
        user_id,
        event_at
    from {{ ref('stg_segment__pages') }}
    {%- if changed_only %}
    where {{ calls_on_timelines('changed_timelines') }}
    {%- endif %}
),

-- When each device was first identified (identify calls without a device tell nothing here).
identified_devices as (
    select
        anonymous_id,
        min(event_at) as first_identified_at
    from {{ ref('stg_segment__identifies') }}
    {%- if changed_only %}
    where anonymous_id in (select changed_timelines.timeline_key from changed_timelines)
    {%- else %}
    where anonymous_id is not null
    {%- endif %}
    group by anonymous_id
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

-- The per-event rows of the track calls, one per call and property (earliest copy).
property_rows as (
    {%- if changed_only %}
    {{ event_property_rows(tables, 'tracks') }}
    {%- else %}
    {{ event_property_rows(tables) }}
    {%- endif %}
),

properties as (
    select
        ranked.event_id,
        tracks.anonymous_id,
        tracks.user_id,
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

-- The track calls that have a per-event row (the only ones whose properties can be checked).
per_event_calls as (
    select distinct
        event_id,
        anonymous_id,
        user_id,
        event_name,
        event_at
    from properties
),

calls as (
    select
        'track' as event_source,
        event_id,
        anonymous_id,
        user_id,
        event_name,
        event_at
    from tracks
    union all
    select
        'page' as event_source,
        event_id,
        anonymous_id,
        user_id,
        'page_viewed' as event_name,
        event_at
    from pages
),

violations as (
    select
        'track' as event_source,
        tracks.event_id,
        tracks.anonymous_id,
        tracks.user_id,
        tracks.event_name,
        cast(null as {{ dbt.type_string() }}) as property_name,
        'unplanned_event' as violation_type,
        tracks.event_at
    from tracks
    where tracks.event_name not in (select planned_events.event_name from planned_events)

    union all

    select
        'track' as event_source,
        tracks.event_id,
        tracks.anonymous_id,
        tracks.user_id,
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
        calls.event_source,
        calls.event_id,
        calls.anonymous_id,
        calls.user_id,
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
        'track' as event_source,
        event_id,
        anonymous_id,
        user_id,
        event_name,
        property_name,
        'unplanned_property' as violation_type,
        event_at
    from checked_properties
    where not is_planned and value_text is not null

    union all

    select
        'track' as event_source,
        per_event_calls.event_id,
        per_event_calls.anonymous_id,
        per_event_calls.user_id,
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
        'track' as event_source,
        event_id,
        anonymous_id,
        user_id,
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
        'track' as event_source,
        event_id,
        anonymous_id,
        user_id,
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
        event_source,
        event_id,
        event_name,
        property_name,
        violation_type,
        coalesce(anonymous_id, 'user:' || user_id) as timeline_key,
        event_at,
        cast({{ to_reporting_timestamp('event_at') }} as date) as event_date,
        {{ run_timestamp() }} as processed_at
    from violations
)

select * from final
