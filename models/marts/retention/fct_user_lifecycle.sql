{#-
    One row per user and period (var('lifecycle_grain'), week or month) in which the user was
    active, plus one dormant row for the period right after each run of active periods. A
    status per row: new, returning, resurrecting or dormant (see the YAML). Incremental:
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

sequenced as (
    select
        user_key,
        period_start,
        lag(period_start) over (partition by user_key order by period_start)
            as previous_active_start,
        lead(period_start) over (partition by user_key order by period_start)
            as next_active_start
    from active_periods
),

active_rows as (
    select
        user_key,
        period_start,
        case
            when previous_active_start is null then 'new'
            when {{ periods_between('previous_active_start', 'period_start', grain) }} = 1
                then 'returning'
            else 'resurrecting'
        end as status,
        {{ periods_between('previous_active_start', 'period_start', grain) }}
            as periods_since_active
    from sequenced
),

-- The period right after an active one, when the user is not active in it and it is not
-- after the latest period with data. Later inactive periods get no row.
dormant_rows as (
    select
        sequenced.user_key,
        cast({{ dbt.dateadd(grain, 1, 'sequenced.period_start') }} as date) as period_start,
        'dormant' as status,
        cast(1 as {{ dbt.type_bigint() }}) as periods_since_active
    from sequenced
    cross join data_end
    where
        sequenced.period_start < data_end.last_period_start
        and (
            sequenced.next_active_start is null
            or {{ periods_between('sequenced.period_start', 'sequenced.next_active_start', grain) }}
            > 1
        )
),

unioned as (
    select * from active_rows
    union all
    select * from dormant_rows
),

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
