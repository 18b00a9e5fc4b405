{#-
    One row per account and interval during which its traits (name, plan) stayed the same,
    from the Segment group calls naming it (a type-2 history of dim_accounts). Calls are
    ordered by event_at, then group_call_id (the order dim_accounts takes the latest call
    in); a call starts a new interval only when its name or plan differs from the call
    before it (nulls compare equal), so repeated calls with the same traits collapse, and a
    change back to an earlier plan is a new interval.
-#}
with group_calls as (
    select * from {{ ref('stg_segment__groups') }}
),

-- the previous call's traits
previous as (
    select
        account_id,
        group_call_id,
        account_name,
        plan,
        event_at,
        row_number() over (partition by account_id order by event_at, group_call_id)
            as call_number,
        lag(account_name) over (partition by account_id order by event_at, group_call_id)
            as previous_name,
        lag(plan) over (partition by account_id order by event_at, group_call_id)
            as previous_plan
    from group_calls
),

-- a call starts an interval when it is the first or a trait differs (null equals null)
compared as (
    select
        account_id,
        group_call_id,
        account_name,
        plan,
        event_at,
        case
            when call_number = 1 then 1
            when
                coalesce(
                    account_name != previous_name,
                    account_name is not null or previous_name is not null
                )
                then 1
            when coalesce(plan != previous_plan, plan is not null or previous_plan is not null)
                then 1
            else 0
        end as is_change
    from previous
),

-- each call's interval: the number of changes up to and including it
numbered as (
    select
        account_id,
        account_name,
        plan,
        event_at,
        sum(is_change) over (
            partition by account_id order by event_at, group_call_id
            rows between unbounded preceding and current row
        ) as version_number
    from compared
),

versions as (
    select
        account_id,
        version_number,
        max(account_name) as account_name,
        max(plan) as plan,
        count(*) as group_calls,
        min(event_at) as valid_from
    from numbered
    group by account_id, version_number
),

final as (
    select
        account_id,
        cast(version_number as {{ dbt.type_bigint() }}) as version_number,
        account_name,
        plan,
        cast(group_calls as {{ dbt.type_bigint() }}) as group_calls,
        coalesce(
            plan in ({{ account_plan_list('account_trial_plans') }}), false
        ) as is_trial_plan,
        coalesce(
            plan in ({{ account_plan_list('account_paid_plans') }}), false
        ) as is_paid_plan,
        lead(valid_from) over (partition by account_id order by version_number) is null
            as is_current,
        valid_from,
        lead(valid_from) over (partition by account_id order by version_number) as valid_to
    from versions
)

select * from final
