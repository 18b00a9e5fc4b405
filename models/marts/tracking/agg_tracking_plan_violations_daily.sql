{#-
    One row per day, event, property and violation type of the tracking plan (seed
    tracking_plan): how many calls broke it, and one of them. Counted from
    fct_tracking_plan_violations, one row per call and rule broken. Definitions in the model's
    YAML.
-#}
with violations as (
    select * from {{ ref('fct_tracking_plan_violations') }}
),

final as (
    select
        event_date,
        event_name,
        property_name,
        violation_type,
        min(event_id) as example_event_id,
        cast(count(*) as {{ dbt.type_bigint() }}) as violations
    from violations
    group by
        event_date,
        event_name,
        property_name,
        violation_type
)

select * from final
