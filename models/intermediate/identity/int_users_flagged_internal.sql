{#-
    One row per internal user_id: listed in the internal_users seed, or identified at least
    once with an email in var('internal_email_domains'). Their events, including the
    anonymous history of devices first linked to them, stay out of every growth mart.
    Incremental: a run appends the users flagged since (flagged_at), so that
    int_timelines_changed recomputes their timelines; see the model's YAML.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        post_hook="{{ delete_erased_rows({'user_id': 'user_id'}, 'flagged_at') }}",
    )
}}

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
    where user_id is not null
    union all
    select
        user_id,
        'internal email domain' as internal_reason
    from identifies
    where has_internal_email_domain and user_id is not null
),

final as (
    select
        user_id,
        min(internal_reason) as internal_reason,
        {{ run_timestamp() }} as flagged_at
    from flagged
    -- an erased user (stg_privacy__erased_identities) is not flagged again from the seed
    where {{ identity_not_erased('user_id', 'user_id') }}
    {%- if is_incremental() %}
        and user_id not in (select stored.user_id from {{ this }} as stored)
    {%- endif %}
    group by user_id
)

select * from final
