{#-
    One row per anonymous_id that some call (identify, track, page or group) links to a
    user_id. Its user_id is the first one ever linked: the earliest such call by event_at,
    then by call id. Later links (a shared device) do not move the device's anonymous history.
-#}
-- Stored, not a view: every keyed read (fct_events, its post-hook, dim_users) would otherwise
-- re-rank all linking calls. Incremental: devices with a call that the Segment base models
-- staged since this model's last run are recomputed from all their linking calls.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='anonymous_id',
        on_schema_change='fail',
        post_hook="{{ delete_erased_rows({'anonymous_id': 'anonymous_id', 'user_id': 'user_id'}, 'processed_at') }}",
    )
}}

-- Read only on incremental runs, declared here so that dbt orders the build:
-- depends_on: {{ ref('base_segment__tracks') }}
-- depends_on: {{ ref('base_segment__pages') }}
-- depends_on: {{ ref('base_segment__identifies') }}
-- depends_on: {{ ref('base_segment__groups') }}
-- and by the post-hook, which deletes the links of erased identities:
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

{%- set linking_sources = [
    ('stg_segment__tracks', 'event_id'),
    ('stg_segment__pages', 'event_id'),
    ('stg_segment__identifies', 'identify_id'),
    ('stg_segment__groups', 'group_call_id'),
] %}

with linking_calls as (
    {%- for model, call_id in linking_sources %}
    select
        anonymous_id,
        user_id,
        {{ call_id }} as call_id,
        event_at
    from {{ ref(model) }}
    where anonymous_id is not null and user_id is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

{% if is_incremental() %}
changed_devices as (
    select changed_timelines.timeline_key as anonymous_id
    from ({{ timelines_with_calls_staged_since(last_processed_at()) }}) as changed_timelines
),

{% endif %}
ranked as (
    select
        *,
        row_number() over (
            partition by anonymous_id
            order by event_at, call_id
        ) as link_number
    from linking_calls
    {%- if is_incremental() %}
    where anonymous_id in (select changed_devices.anonymous_id from changed_devices)
    {%- endif %}
),

final as (
    select
        anonymous_id,
        max(case when link_number = 1 then user_id end) as user_id,
        count(distinct user_id) as linked_user_ids,
        count(*) as linking_calls,
        min(event_at) as first_linked_at,
        max(event_at) as last_linked_at,
        {{ run_timestamp() }} as processed_at
    from ranked
    group by anonymous_id
)

select * from final
