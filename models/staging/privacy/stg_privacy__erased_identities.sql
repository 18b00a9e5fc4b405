{#-
    One row per identity (a user_id or an anonymous_id) to erase: every id named in the
    deletion_requests seed, and every anonymous_id that a Segment call carrying both ids links
    to a requested user_id. Every base model leaves out the raw rows carrying one of them and
    deletes those it had stored; every incremental model downstream drops them (see the YAML
    and the README, "Deleting a person").

    Incremental, append only, never rebuilt by --full-refresh: an identity once erased stays
    erased, even when the calls that linked it are deleted upstream later (they were the only
    proof of the link). The links are looked for in the raw call tables on every run, and, for
    a user_id requested since the last run, also in the calls the base models stored in earlier
    runs: a request made after the person's rows were deleted upstream still finds the devices
    the warehouse knew.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='fail',
    )
}}

{%- set calls = erased_identity_calls() %}
{#- Devices are looked up only when a request names a user_id (most runs have none, and the
    lookup scans the call tables); the stored calls only for user_ids not yet erased. -#}
{%- set lookups = erased_identity_lookups() %}

with requests as (
    select
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('anonymous_id') }} as anonymous_id
    from {{ ref('deletion_requests') }}
),

requested_users as (
    select distinct requests.user_id
    from requests
    where requests.user_id is not null
),

linking_calls as (
    {%- for call in calls %}
    {%- set raw_read = raw_columns('segment', call.table) %}
    select
        {{ clean_text('raw_calls.anonymous_id') }} as anonymous_id,
        {{ clean_text('raw_calls.user_id') }} as user_id
    from (
        select {{ raw_read.select }}
        from {{ raw_table('segment', call.table) }}
    ) as raw_calls
    {%- if not lookups.raw %}
    where false
    {%- endif %}
    union all
    {%- endfor %}
    {#- As the base models stored them in earlier runs (their ids are cleaned already). -#}
    {%- for call in calls %}
    {%- set stored = stored_model_relation(call.base) if lookups.stored else none %}
    {%- if stored is not none %}
    select
        stored_calls.anonymous_id,
        stored_calls.user_id
    from {{ stored }} as stored_calls
    union all
    {%- endif %}
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as anonymous_id,
        cast(null as {{ dbt.type_string() }}) as user_id
    where false
),

identities as (
    select
        'user_id' as identity_type,
        requests.user_id as identity,
        'requested' as erasure_reason
    from requests
    where requests.user_id is not null
    union all
    select
        'anonymous_id' as identity_type,
        requests.anonymous_id as identity,
        'requested' as erasure_reason
    from requests
    where requests.anonymous_id is not null
    union all
    select
        'anonymous_id' as identity_type,
        linking_calls.anonymous_id as identity,
        'linked to a requested user_id' as erasure_reason
    from linking_calls
    where
        linking_calls.anonymous_id is not null
        and linking_calls.user_id in (select requested_users.user_id from requested_users)
),

final as (
    select
        cast(identities.identity_type as {{ dbt.type_string() }}) as identity_type,
        cast(identities.identity as {{ dbt.type_string() }}) as identity,
        -- 'requested' before 'linked ...': the request is the stronger reason
        cast(max(identities.erasure_reason) as {{ dbt.type_string() }}) as erasure_reason,
        {{ run_timestamp() }} as erased_at
    from identities
    {%- if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as stored
        where
            stored.identity_type = identities.identity_type
            and stored.identity = identities.identity
    )
    {%- endif %}
    group by identities.identity_type, identities.identity
)

select * from final
