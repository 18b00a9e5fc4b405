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

-- the previous call's traits, null-safe change flag
compared as (
    select
        account_id,
        group_call_id,
        account_name,
        plan,
        event_at,
        case
            when
                row_number() over (
                    partition by account_id order by event_at, group_call_id
                ) = 1
                then 1
            when
                account_name is distinct from lag(account_name) over (
                    partition by account_id order by event_at, group_call_id
                )
                or plan is distinct from lag(plan) over (
                    partition by account_id order by event_at, group_call_id
                )
                then 1
            else 0
        end as is_change
    from group_calls
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
