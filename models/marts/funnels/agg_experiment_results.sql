{#-
    One row per experiment and variation: users first exposed in it, how many placed a
    completed order within var('experiment_conversion_window_days') of their first exposure,
    and a pooled two-proportion z-test of each variation against the control variation
    (var('experiment_control_variation')). A group by over fct_experiment_exposures.
-#}
with exposed_users as (
    select * from {{ ref('fct_experiment_exposures') }}
),

variations as (
    select
        experiment_id,
        variation_id,
        count(*) as users,
        sum(case when is_converted then 1 else 0 end) as converted_users,
        sum(case when is_contaminated then 1 else 0 end) as contaminated_users
    from exposed_users
    group by experiment_id, variation_id
),

with_control as (
    select
        variations.*,
        variations.variation_id = '{{ var("experiment_control_variation") }}' as is_control,
        cast(variations.converted_users as {{ type_double() }}) / variations.users
            as conversion_rate,
        control.users as control_users,
        control.converted_users as control_converted_users,
        cast(control.converted_users as {{ type_double() }}) / control.users
            as control_rate,
        cast(variations.converted_users + control.converted_users as {{ type_double() }})
        / (variations.users + control.users) as pooled_rate
    from variations
    left join variations as control
        on
            variations.experiment_id = control.experiment_id
            and control.variation_id = '{{ var("experiment_control_variation") }}'
),

tested as (
    select
        *,
        case
            when not is_control
                then {{ safe_divide(
                    'conversion_rate - control_rate',
                    'sqrt(pooled_rate * (1 - pooled_rate)'
                    ~ ' * (1.0 / users + 1.0 / control_users))'
                ) }}
        end as z_score
    from with_control
),

final as (
    select
        experiment_id,
        variation_id,
        cast(users as {{ dbt.type_bigint() }}) as users,
        cast(converted_users as {{ dbt.type_bigint() }}) as converted_users,
        cast(conversion_rate as {{ type_double() }}) as conversion_rate,
        cast(
            case
                when not is_control then {{ safe_divide('conversion_rate', 'control_rate') }} - 1
            end
            as {{ type_double() }}
        ) as lift_vs_control,
        cast(z_score as {{ type_double() }}) as z_score,
        cast(2 * {{ normal_cdf('-abs(z_score)') }} as {{ type_double() }}) as p_value,
        cast(contaminated_users as {{ dbt.type_bigint() }}) as contaminated_users,
        is_control
    from tested
)

select * from final
