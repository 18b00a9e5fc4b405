-- Every rule's credits sum to 1 (to 1e-9) for every conversion, and every conversion of
-- int_attribution_conversions has rows in fct_attribution_touches. Returns each conversion
-- where a rule's sum is off, or that is missing.
with conversions as (
    select * from {{ ref('int_attribution_conversions') }}
),

touches as (
    select * from {{ ref('fct_attribution_touches') }}
),

sums as (
    select
        conversion_type,
        conversion_id,
        sum(first_touch_credit) as first_touch,
        sum(last_touch_credit) as last_touch,
        sum(last_non_direct_credit) as last_non_direct,
        sum(linear_credit) as linear,
        sum(position_based_credit) as position_based,
        sum(time_decay_credit) as time_decay
    from touches
    group by conversion_type, conversion_id
),

final as (
    select
        conversions.conversion_type,
        conversions.conversion_id,
        sums.first_touch,
        sums.last_touch,
        sums.last_non_direct,
        sums.linear,
        sums.position_based,
        sums.time_decay
    from conversions
    left join sums
        on
            conversions.conversion_type = sums.conversion_type
            and conversions.conversion_id = sums.conversion_id
    where
        sums.conversion_id is null
        or abs(sums.first_touch - 1) > 1e-9
        or abs(sums.last_touch - 1) > 1e-9
        or abs(sums.last_non_direct - 1) > 1e-9
        or abs(sums.linear - 1) > 1e-9
        or abs(sums.position_based - 1) > 1e-9
        or abs(sums.time_decay - 1) > 1e-9
)

select * from final
