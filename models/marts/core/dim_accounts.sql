{#-
    One row per account (Segment group): its latest name and plan, when its first user joined
    it, and how many users it has now (users whose latest group call names it).
-#}
with group_calls as (
    select * from {{ ref('stg_segment__groups') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

ranked as (
    select
        account_id,
        account_name,
        plan,
        event_at,
        row_number() over (partition by account_id order by event_at desc, group_call_id desc)
            as recency
    from group_calls
),

accounts as (
    select
        account_id,
        max(case when recency = 1 then account_name end) as account_name,
        max(case when recency = 1 then plan end) as plan,
        min(event_at) as first_user_at
    from ranked
    group by account_id
),

members as (
    select
        account_id,
        count(*) as users
    from users
    where account_id is not null
    group by account_id
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.plan,
        cast(coalesce(members.users, 0) as {{ dbt.type_bigint() }}) as users,
        accounts.first_user_at
    from accounts
    left join members
        on accounts.account_id = members.account_id
)

select * from final
