with group_calls as (
    select * from {{ ref('base_segment__groups') }}
    where quarantine_reason is null and delivery_number = 1
),

final as (
    select
        group_call_id,
        anonymous_id,
        user_id,
        account_id,
        account_name,
        plan,
        event_at_source,
        is_future_clock_corrected,
        is_listed_internal_user,
        event_at,
        received_at
    from group_calls
)

select * from final
