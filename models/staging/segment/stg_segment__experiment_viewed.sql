with exposures as (
    select * from {{ ref('base_segment__experiment_viewed') }}
    where quarantine_reason is null and delivery_number = 1
),

final as (
    select
        event_id,
        anonymous_id,
        user_id,
        experiment_id,
        variation_id,
        event_at_source,
        is_future_clock_corrected,
        is_listed_internal_user,
        event_at,
        received_at
    from exposures
)

select * from final
