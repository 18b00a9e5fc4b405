{#-
    One row per conversion: every completed order (value = its revenue) and every
    var('signup_event_name') event (value 0). has_prior_session says whether the user had a
    session starting at or before the conversion (at any time: the Markov journey's test).
    Incremental: recomputes whole the conversions of the users changed_conversion_users
    lists (changed in int_users_changed, or with a completed order that differs from the
    stored ones); the pre-hook deletes their stored rows first (delete_user_rows).
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_user_rows(changed_conversion_users()) }}",
    )
}}

-- Read only on incremental runs (also by the pre-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_users_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

{%- set recomputed = '' %}
{%- if is_incremental() %}
{%- set recomputed = 'where user_key in (' ~ changed_conversion_users() ~ ')' %}
{%- endif %}

with orders as (
    select * from {{ ref('fct_orders') }}
    {{ recomputed }}
),

events as (
    select * from {{ ref('fct_events') }}
    {{ recomputed }}
),

sessions as (
    select * from {{ ref('fct_sessions') }}
    {{ recomputed }}
),

first_sessions as (
    select
        user_key,
        min(started_at) as first_session_at
    from sessions
    group by user_key
),

conversions as (
    select
        order_id as conversion_id,
        'order' as conversion_type,
        user_key,
        revenue,
        is_first_order,
        ordered_at as converted_at
    from orders
    where is_completed

    union all

    select
        event_id as conversion_id,
        'signup' as conversion_type,
        user_key,
        cast(0 as {{ dbt.type_numeric() }}) as revenue,
        false as is_first_order,
        event_at as converted_at
    from events
    where event_name = '{{ var("signup_event_name") }}'
),

final as (
    select
        conversions.conversion_id,
        conversions.conversion_type,
        conversions.user_key,
        conversions.revenue,
        conversions.is_first_order,
        coalesce(
            first_sessions.first_session_at <= conversions.converted_at, false
        ) as has_prior_session,
        {{ reporting_period_start('conversions.converted_at', 'week') }} as week_start_date,
        conversions.converted_at,
        {{ run_timestamp() }} as processed_at
    from conversions
    left join first_sessions
        on conversions.user_key = first_sessions.user_key
)

select * from final
