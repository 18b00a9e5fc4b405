{#-
    One row per user_key that dim_users has ever held, with when a dbt run last found it
    changed: what every incremental per-user mart recomputes. A user changes when dim_users
    rewrites its row (macro users_to_recompute: every user whose events, sessions, identifies,
    group calls, orders or internal flag changed), and vanishes when dim_users no longer holds
    it (is_vanished). Incremental marts downstream read the users changed since their own
    last run (macro changed_users) and recompute them whole. See the model's YAML.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='user_key',
        on_schema_change='fail',
        post_hook="{{ delete_erased_rows({'user_key': 'user_key'}, 'processed_at') }}",
    )
}}

-- Read only on incremental runs (by the post-hook), declared here so that dbt orders the
-- build:
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

with users as (
    select * from {{ ref('dim_users') }}
),

stored as (
    {%- if is_incremental() %}
    select * from {{ this }}
    {%- else %}
    -- a full refresh has nothing stored
    select
        user_key,
        account_id,
        false as is_vanished
    from users
    where false
    {%- endif %}
),

-- The rows dim_users wrote since this model's last run: dim_users rewrites whole every user
-- it recomputes, so this is every user whose row may have changed.
rewritten as (
    select
        users.user_key,
        users.account_id,
        false as is_vanished
    from users
    {%- if is_incremental() %}
    where users.processed_at > {{ last_processed_at() }}
    {%- endif %}
),

{% if is_incremental() %}
-- Users stored here that dim_users no longer holds: a device's anonymous user_key once the
-- device is linked to a user, or an erased person's keys. A comparison of keys only.
vanished as (
    select
        stored.user_key,
        cast(null as {{ dbt.type_string() }}) as account_id,
        true as is_vanished
    from stored
    where
        not stored.is_vanished
        and not exists (
            select 1
            from users
            where users.user_key = stored.user_key
        )
),

{% endif %}
changed as (
    select * from rewritten
    {%- if is_incremental() %}
    union all
    select * from vanished
    {%- endif %}
),

final as (
    select
        changed.user_key,
        changed.account_id,
        stored.account_id as previous_account_id,
        changed.is_vanished,
        {{ run_timestamp() }} as processed_at
    from changed
    left join stored
        on changed.user_key = stored.user_key
)

select * from final
