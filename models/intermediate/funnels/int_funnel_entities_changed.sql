{#-
    One row per funnel entity (entity_key) with when a dbt run last found it changed: what
    fct_funnel_steps recomputes. For every funnel, the users int_users_changed found changed
    or vanished since this model's last run, and the accounts
    those users are in now or were in before (int_users_changed.account_id and
    previous_account_id): an account's stream is its users' events, so it changes only with
    one of them. A table with statistics, so that PostgreSQL estimates fct_funnel_steps'
    filter on it from real counts (a CTE's estimate collapsed to a few rows and brought back
    nested loops). A full refresh lists every entity with a step event.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='entity_key',
        on_schema_change='fail',
        post_hook="{{ forget_changes_after_erasure() }}",
    )
}}

-- Read only on incremental runs, declared here so that dbt orders the build:
-- depends_on: {{ ref('int_users_changed') }}
-- depends_on: {{ ref('funnel_steps') }}
-- and by the post-hook, which forgets the earlier runs' lists after an erasure:
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

{% if is_incremental() %}
{%- set processed_after = last_processed_at() %}
with changed_users as (
    select * from {{ ref('int_users_changed') }}
),

funnels as (
    select distinct funnel_name from {{ ref('funnel_steps') }}
),

-- Not macro changed_users: an erased identity's key must not be stored here (its rows in
-- int_users_changed are deleted); fct_funnel_steps recomputes every entity after an erasure.
users as (
    select changed_users.user_key
    from changed_users
    where changed_users.processed_at > {{ processed_after }}
),

accounts as (
    select changed_users.account_id
    from changed_users
    where changed_users.processed_at > {{ processed_after }}
    union
    select changed_users.previous_account_id as account_id
    from changed_users
    where changed_users.processed_at > {{ processed_after }}
),

changed as (
    select
        {{ funnel_entity_key('funnels.funnel_name', "'user'", 'users.user_key') }}
            as entity_key
    from users
    cross join funnels
    union
    select
        {{ funnel_entity_key('funnels.funnel_name', "'account'", 'accounts.account_id') }}
            as entity_key
    from accounts
    cross join funnels
    where accounts.account_id is not null
),
{% else %}
with changed as (
    select distinct entity_key from {{ ref('int_funnel_entity_events') }}
),
{% endif %}

final as (
    select
        entity_key,
        {{ run_timestamp() }} as processed_at
    from changed
)

select * from final
