with ad_spend as (
    select * from {{ ref('base_marketing__ad_spend') }}
    where quarantine_reason is null and delivery_number = 1
),

final as (
    select
        ad_spend_id,
        utm_source,
        utm_medium,
        utm_campaign,
        spend,
        spend_date
    from ad_spend
)

select * from final
