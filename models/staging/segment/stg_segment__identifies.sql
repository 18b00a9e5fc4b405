with identifies as (
    select * from {{ ref('base_segment__identifies') }}
    where quarantine_reason is null and delivery_number = 1
),

final as (
    select
        identify_id,
        anonymous_id,
        user_id,
        email_hash,
        email_domain,
        region,
        heard_about,
        user_agent,
        event_at_source,
        is_future_clock_corrected,
        is_bot,
        is_listed_internal_user,
        has_internal_email_domain,
        user_created_at,
        event_at,
        received_at
    from identifies
)

select * from final
