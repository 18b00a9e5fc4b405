{#-
    One row per conversion type and number of touches in the window: how many conversions had
    that many touches, and how long before converting their first touch came.
-#}
with touches as (
    select * from {{ ref('fct_attribution_touches') }}
),

conversions as (
    select
        conversion_type,
        conversion_id,
        touches_in_window,
        revenue,
        days_before_conversion
    from touches
    where touch_number = 1 or touches_in_window = 0
),

final as (
    select
        conversion_type,
        touches_in_window,
        cast(count(*) as {{ dbt.type_bigint() }}) as conversions,
        cast(sum(revenue) as {{ dbt.type_numeric() }}) as revenue,
        cast(
            {{ median('days_before_conversion') }} as {{ type_double() }}
        ) as median_days_first_touch_to_conversion
    from conversions
    group by conversion_type, touches_in_window
)

select * from final
