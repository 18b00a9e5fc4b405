{#-
    One row per account and period (var('lifecycle_grain'), week or month) in which the
    account was active, plus one dormant row for the period right after each run of active
    periods: fct_user_lifecycle with the account as the entity. An account is active in a
    period when any of its users (dim_users.account_id: the account of the user's latest
    group call, as for the account funnels) is active in it in fct_user_lifecycle. Statuses
    by the same rules (macro lifecycle_statuses).
-#}
{%- set grain = var('lifecycle_grain') %}

with user_lifecycle as (
    select * from {{ ref('fct_user_lifecycle') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

-- read for the latest period with data only
events as (
    select * from {{ ref('fct_events') }}
),

active_periods as (
    select distinct
        users.account_id,
        user_lifecycle.period_start
    from user_lifecycle
    inner join users
        on user_lifecycle.user_key = users.user_key
    where
        user_lifecycle.is_active
        and users.account_id is not null
),

data_end as (
    select {{ reporting_period_start('max(event_at)', grain) }} as last_period_start
    from events
),

{{ lifecycle_statuses('account_id', grain) }},

final as (
    select
        account_id,
        '{{ grain }}' as lifecycle_grain,
        status,
        cast(periods_since_active as {{ dbt.type_bigint() }}) as periods_since_active,
        status != 'dormant' as is_active,
        period_start
    from unioned
)

select * from final
