{#-
    One row per kept event (fct_events) and property of its Segment per-event table: the
    tables listed in var('segment_event_tables'), a property being every column beyond those
    Segment writes on every call (see event_property_columns), found at run time. A message
    delivered more than once gives its earliest received copy's values.

    Incremental: recomputes the timelines that int_timelines_changed found changed since this
    model's last run (fct_events recomputed their events), like fct_events, and its post-hook
    deletes what it had stored of them and did not write again. When the per-event tables'
    property columns differ from those of the last run (a source sent a new property: Segment
    added a column), the run recomputes every timeline, so that events stored before the
    column existed get its (null) value as a full refresh would; the property columns are
    recorded as the table's comment (record_event_properties).
-#}
{%- set tables = event_property_columns() %}
{%- set recompute_all = is_incremental() and event_properties_changed(tables) %}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='timeline_key',
        on_schema_change='fail',
        post_hook=[
            "{{ delete_unwritten_event_properties() }}",
            "{{ record_event_properties() }}",
        ],
    )
}}

-- Read only on incremental runs (also by the post-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_timelines_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

with
{% if is_incremental() and not recompute_all %}
changed_timelines as (
    {{ changed_timelines() }}
),

{% endif %}
kept_events as (
    select
        event_id,
        timeline_key,
        event_name,
        event_date,
        event_at
    from {{ ref('fct_events') }}
    {%- if is_incremental() and not recompute_all %}
    where timeline_key in (select changed_timelines.timeline_key from changed_timelines)
    {%- endif %}
),

raw_properties as (
    {%- if is_incremental() and not recompute_all %}
    {{ event_property_rows(tables, 'kept_events') }}
    {%- else %}
    {{ event_property_rows(tables) }}
    {%- endif %}
),

-- A message delivered more than once: its earliest received copy (then the smallest value,
-- a stable tie-break between copies that disagree).
ranked as (
    select
        *,
        row_number() over (
            partition by event_id, property_name
            order by received_at, value_text
        ) as copy_rank
    from raw_properties
    where event_id is not null
),

final as (
    select
        kept_events.event_id,
        ranked.property_name,
        kept_events.timeline_key,
        kept_events.event_name,
        -- the contract's types, also on incremental runs (PostgreSQL drops numeric's precision
        -- through a CASE, and the run would compare a numeric with the stored numeric(28,6))
        cast(ranked.value_text as {{ dbt.type_string() }}) as value_text,
        cast(ranked.value_number as {{ dbt.type_numeric() }}) as value_number,
        cast(ranked.value_boolean as {{ dbt.type_boolean() }}) as value_boolean,
        cast(ranked.value_timestamp as {{ dbt.type_timestamp() }}) as value_timestamp,
        kept_events.event_date,
        kept_events.event_at,
        {{ run_timestamp() }} as processed_at
    from ranked
    inner join kept_events
        on ranked.event_id = kept_events.event_id
    where ranked.copy_rank = 1
)

select * from final
