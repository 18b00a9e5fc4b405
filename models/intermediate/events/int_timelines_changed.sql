{#-
    One row per timeline (device, or "user:<user_id>" for server-side calls), with when a dbt
    run last found it changed: what every incremental event model recomputes. Incremental
    models downstream read the timelines changed since their own last run (macro
    changed_timelines) and recompute them whole. See the model's YAML for what changes a
    timeline.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='timeline_key',
        on_schema_change='fail',
        post_hook="{{ delete_erased_rows({'timeline_key': 'timeline'}, 'processed_at') }}",
    )
}}

-- Read only on incremental runs, declared here so that dbt orders the build:
-- depends_on: {{ ref('stg_segment__tracks') }}
-- depends_on: {{ ref('stg_segment__pages') }}
-- depends_on: {{ ref('int_anonymous_ids_linked') }}
-- depends_on: {{ ref('int_users_flagged_internal') }}
-- and by the post-hook, which deletes the timelines of erased identities (changed_timelines
-- lists them to the models downstream):
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

{#- A full refresh lists every timeline with a usable call. -#}
{%- set processed_after = "cast('1900-01-01' as " ~ dbt.type_timestamp() ~ ")" %}
{%- set newly_internal = false %}
{%- if is_incremental() %}
    {%- set processed_after = last_processed_at() %}
    {#- The timelines of users flagged internal since are looked up in the call tables only
        when there are such users: most runs have none, and the lookup scans every call. -#}
    {%- set newly_internal = model.resource_type == 'unit_test' or (
        execute and run_query(
            'select count(*) from ' ~ ref('int_users_flagged_internal')
            ~ ' where flagged_at > ' ~ processed_after
        ).columns[0].values()[0] > 0
    ) %}
{%- endif %}

with
{% if newly_internal %}
-- Users flagged internal since: their events leave the timelines they are on, including
-- timelines that received no call since (a user added to the internal_users seed).
newly_internal_users as (
    select internal_users.user_id
    from {{ ref('int_users_flagged_internal') }} as internal_users
    where internal_users.flagged_at > {{ processed_after }}
),

{% endif %}
changed as (
    {{ timelines_with_calls_staged_since(processed_after) }}
    {%- if newly_internal %}
    {%- for model in ['stg_segment__tracks', 'stg_segment__pages'] %}
    union
    select coalesce(calls.anonymous_id, 'user:' || calls.user_id) as timeline_key
    from {{ ref(model) }} as calls
    where calls.user_id in (select newly_internal_users.user_id from newly_internal_users)
    {%- endfor %}
    union
    select links.anonymous_id as timeline_key
    from {{ ref('int_anonymous_ids_linked') }} as links
    where links.user_id in (select newly_internal_users.user_id from newly_internal_users)
    {%- endif %}
),

final as (
    select
        timeline_key,
        {{ run_timestamp() }} as processed_at
    from changed
)

select * from final
