{#-
    The body of agg_engagement_weekly, agg_engagement_monthly and agg_account_engagement_weekly:
    one row per period of `period_grain` ('week' or 'month') with a row in
    int_user_engagement_periods: the entities active in it, those engaged, their share, and
    whether the period's last day is after the latest event_date in fct_events (the period is
    not over in the data). `period_column` names the period's first day in the output.
    `entity` 'user' (the default) counts users: columns visitors and engaged_visitors.
    `entity` 'account' counts accounts (dim_users.account_id, the account of the user's
    latest group call; users with none left out): an account is active in a period when any
    of its users has a row in it, engaged when any of them is engaged; columns accounts and
    engaged_accounts.
-#}
{% macro engagement_rollup(period_grain, period_column, entity='user') -%}
{%- if entity not in ['user', 'account'] -%}
    {{ exceptions.raise_compiler_error(
        "engagement_rollup: entity must be 'user' or 'account', not '" ~ entity ~ "'"
    ) }}
{%- endif -%}
{%- set counted = 'visitors' if entity == 'user' else 'accounts' -%}
with user_periods as (
    select * from {{ ref('int_user_engagement_periods') }}
    where period_grain = '{{ period_grain }}'
),
{%- if entity == 'account' %}

users as (
    select * from {{ ref('dim_users') }}
),

-- one row per account and period: engaged when any of its users is
entity_periods as (
    select
        users.account_id,
        user_periods.period_start,
        max(case when user_periods.is_engaged then 1 else 0 end) as engagement_flag
    from user_periods
    inner join users
        on user_periods.user_key = users.user_key
    where users.account_id is not null
    group by users.account_id, user_periods.period_start
),
{%- endif %}

-- read for the latest event date only
events as (
    select * from {{ ref('fct_events') }}
),

data_end as (
    select max(event_date) as last_event_date
    from events
),

periods as (
    select
        period_start,
        count(*) as {{ counted }},
        {%- if entity == 'user' %}
        sum(case when is_engaged then 1 else 0 end) as engaged_{{ counted }}
    from user_periods
        {%- else %}
        sum(engagement_flag) as engaged_{{ counted }}
    from entity_periods
        {%- endif %}
    group by period_start
),

final as (
    select
        periods.period_start as {{ period_column }},
        cast(periods.{{ counted }} as {{ dbt.type_bigint() }}) as {{ counted }},
        cast(periods.engaged_{{ counted }} as {{ dbt.type_bigint() }}) as engaged_{{ counted }},
        cast(periods.engaged_{{ counted }} as {{ type_double() }})
        / periods.{{ counted }} as engaged_rate,
        data_end.last_event_date < cast(
            {{ dbt.dateadd(
                'day', -1, dbt.dateadd(period_grain, 1, 'periods.period_start')
            ) }} as date
        ) as is_partial_{{ period_grain }}
    from periods
    cross join data_end
)

select * from final
{%- endmacro %}
