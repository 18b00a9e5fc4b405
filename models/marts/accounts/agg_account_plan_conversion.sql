{#-
    One row per account cohort (month of the account's first group call, in
    var('reporting_timezone')) and conversion window of var('account_conversion_windows_days'):
    accounts that started on a trial plan (var('account_trial_plans')), how many reached a
    paid plan (var('account_paid_plans')) later, how fast, and how many within the window.
    Accounts that started on a paid plan are counted apart, never as conversions. Plans come
    from dim_account_history (group calls in event_at, group_call_id order).
-#}
{%- set windows = var('account_conversion_windows_days') %}
{%- if windows is string or windows is mapping or windows is not iterable
    or windows | length == 0 %}
{%- do exceptions.raise_compiler_error(
    "var('account_conversion_windows_days') must be a non-empty list of day counts, got "
    ~ windows
) %}
{%- endif %}
{%- for window in windows if window is not number or window < 0 %}
{%- do exceptions.raise_compiler_error(
    "var('account_conversion_windows_days'): each entry must be a number of days >= 0; got "
    ~ window
) %}
{%- endfor %}

with history as (
    select * from {{ ref('dim_account_history') }}
),

-- read for the latest event and group call times only
events as (
    select * from {{ ref('fct_events') }}
),

group_calls as (
    select * from {{ ref('stg_segment__groups') }}
),

-- The latest moment the data covers: the last event or group call.
latest as (
    select max(event_at) as observed_at from events
    union all
    select max(event_at) as observed_at from group_calls
),

observed as (
    select max(observed_at) as observed_until_at
    from latest
),

-- One row per account: its first call (version 1) and its first interval on a paid plan.
account_starts as (
    select
        account_id,
        min(valid_from) as started_at,
        max(case when version_number = 1 and is_trial_plan then 1 else 0 end)
            as started_trial,
        max(case when version_number = 1 and is_paid_plan then 1 else 0 end)
            as started_paid,
        min(case when is_paid_plan then valid_from end) as first_paid_at
    from history
    group by account_id
),

accounts as (
    select
        account_id,
        {{ reporting_period_start('started_at', 'month') }} as cohort_month,
        started_at,
        started_trial,
        started_paid,
        case when started_trial = 1 then first_paid_at end as converted_at,
        case
            when started_trial = 1
                then {{ seconds_between('started_at', 'first_paid_at') }} / 86400
        end as days_to_paid
    from account_starts
),

windows as (
    {%- for window in windows %}
    select cast({{ window }} as {{ dbt.type_bigint() }}) as window_days
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

counted as (
    select
        accounts.cohort_month,
        windows.window_days,
        count(*) as accounts,
        sum(accounts.started_trial) as trial_accounts,
        sum(accounts.started_paid) as paid_start_accounts,
        sum(case when accounts.converted_at is not null then 1 else 0 end) as converted_accounts,
        sum(
            case
                when
                    accounts.converted_at
                    <= {{ dbt.dateadd('day', 'windows.window_days', 'accounts.started_at') }}
                    then 1
                else 0
            end
        ) as converted_within_window,
        {{ median('accounts.days_to_paid') }} as median_days_to_paid,
        avg(accounts.days_to_paid) as mean_days_to_paid,
        max(case when accounts.started_trial = 1 then accounts.started_at end)
            as last_trial_started_at
    from accounts
    cross join windows
    group by accounts.cohort_month, windows.window_days
),

final as (
    select
        counted.cohort_month,
        {{ dbt.concat(["cast(counted.window_days as " ~ dbt.type_string() ~ ")", "'d'"]) }}
            as conversion_window,
        counted.window_days,
        cast(counted.accounts as {{ dbt.type_bigint() }}) as accounts,
        cast(counted.trial_accounts as {{ dbt.type_bigint() }}) as trial_accounts,
        cast(counted.paid_start_accounts as {{ dbt.type_bigint() }}) as paid_start_accounts,
        cast(counted.converted_accounts as {{ dbt.type_bigint() }}) as converted_accounts,
        cast(
            {{ safe_divide(
                'cast(counted.converted_accounts as ' ~ type_double() ~ ')', 'counted.trial_accounts'
            ) }}
            as {{ type_double() }}
        ) as conversion_rate,
        cast(counted.converted_within_window as {{ dbt.type_bigint() }})
            as converted_within_window,
        cast(
            {{ safe_divide(
                'cast(counted.converted_within_window as ' ~ type_double() ~ ')',
                'counted.trial_accounts'
            ) }}
            as {{ type_double() }}
        ) as conversion_rate_within_window,
        cast(counted.median_days_to_paid as {{ type_double() }}) as median_days_to_paid,
        cast(counted.mean_days_to_paid as {{ type_double() }}) as mean_days_to_paid,
        coalesce(
            {{ dbt.dateadd('day', 'counted.window_days', 'counted.last_trial_started_at') }}
            <= observed.observed_until_at,
            true
        ) as is_window_complete
    from counted
    cross join observed
)

select * from final
