with pages as (
    select * from {{ ref('base_segment__pages') }}
    where quarantine_reason is null and delivery_number = 1
),

final as (
    select
        event_id,
        anonymous_id,
        user_id,
        page_name,
        page_url,
        page_path,
        page_referrer,
        page_title,
        page_search,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        user_agent,
        library_name,
        device_timezone,
        event_at_source,
        is_future_clock_corrected,
        is_bot,
        is_listed_internal_user,
        event_at,
        original_timestamp_at,
        sent_at,
        received_at
    from pages
)

select * from final
