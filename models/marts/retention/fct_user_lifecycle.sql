{#-
    One row per user and period (var('lifecycle_grain'), week or month) in which the user was
    active, plus one dormant row for the period right after each run of active periods. A
    status per row: new, returning, resurrecting or dormant (see the YAML; the rules are macro
    lifecycle_statuses, shared with fct_account_lifecycle). Incremental:
    recomputes the users int_users_changed found changed since its last run; when the period
    of the latest event moved (a dormant row may then appear or go for any user), every user.
    The pre-hook deletes the rows recomputed first (delete_changed_users).
-#}
{#- append: the pre-hook has deleted every stored row of the users the model writes. #}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_users(recompute_all=as_of_moved(
            'period_start', latest_event_date(var('lifecycle_grain'))
        )) }}",
    )
}}

-- Read only on incremental runs (also by the pre-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_users_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

{%- set grain = var('lifecycle_grain') %}
{%- set recompute_some = is_incremental()
    and not as_of_moved('period_start', latest_event_date(grain)) %}

with events as (
    select * from {{ ref('fct_events') }}
),

user_events as (
    select * from events
    {%- if recompute_some %}
    where user_key in ({{ changed_users() }})
    {%- endif %}
),

active_periods as (
    select distinct
        user_key,
        {{ reporting_period_start('event_at', grain) }} as period_start
    from user_events
    where
        {{ event_name_in(
            'event_name', var('retention_activity_event_names'), 'retention_activity_event_names'
        ) }}
),

data_end as (
    select {{ reporting_period_start('max(event_at)', grain) }} as last_period_start
    from events
),

{{ lifecycle_statuses('user_key', grain) }},

final as (
    select
        user_key,
        '{{ grain }}' as lifecycle_grain,
        status,
        cast(periods_since_active as {{ dbt.type_bigint() }}) as periods_since_active,
        status != 'dormant' as is_active,
        period_start,
        {{ run_timestamp() }} as processed_at
    from unioned
)

select * from final
