{#-
    One row per internal user_id: listed in the internal_users seed, or identified at least
    once with an email in var('internal_email_domains'). Their events, including the
    anonymous history of devices first linked to them, stay out of every growth mart.
-#}
with internal_users as (
    select * from {{ ref('internal_users') }}
),

identifies as (
    select * from {{ ref('stg_segment__identifies') }}
),

flagged as (
    select
        user_id,
        'internal_users seed' as internal_reason
    from internal_users
    union all
    select
        user_id,
        'internal email domain' as internal_reason
    from identifies
    where is_internal and user_id is not null
),

final as (
    select
        user_id,
        min(internal_reason) as internal_reason
    from flagged
    group by user_id
)

select * from final
