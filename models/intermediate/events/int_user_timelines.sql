{#-
    One row per timeline (device, or "user:<user_id>" for server-side calls) and user_key among
    its page and track calls: what dim_users needs from the events, summed up per timeline.
    Incremental: see the model's YAML.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='timeline_key',
        on_schema_change='fail',
        post_hook="{{ delete_unwritten_timelines('timeline_key') }}",
    )
}}

-- Read only on incremental runs (also by the post-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_timelines_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}
-- and to key the calls of the recomputed timelines (see keyed_events):
-- depends_on: {{ ref('stg_segment__tracks') }}
-- depends_on: {{ ref('stg_segment__pages') }}
-- depends_on: {{ ref('int_anonymous_ids_linked') }}
-- depends_on: {{ ref('int_users_flagged_internal') }}

with
{% if is_incremental() %}
changed_timelines as (
    {{ changed_timelines() }}
),

{% endif %}
events as (
    {%- if is_incremental() %}
    {{ keyed_events('changed_timelines') }}
    {%- else %}
    select * from {{ ref('int_events_keyed') }}
    {%- endif %}
),

final as (
    select
        timeline_key,
        user_key,
        max(case when is_identified then user_key end) as user_id,
        {{ dbt.bool_or('not is_bot') }} as has_human_events,
        min(event_at) as first_seen_at,
        min(
            case when event_name = '{{ var("signup_event_name") }}' then event_at end
        ) as signed_up_at,
        {{ run_timestamp() }} as processed_at
    from events
    group by timeline_key, user_key
)

select * from final
