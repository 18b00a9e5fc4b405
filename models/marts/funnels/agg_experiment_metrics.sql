{#-
    One row per experiment, variation and metric of var('experiment_metrics'): the exposed
    users of fct_experiment_outcomes (contaminated ones in the variation of their first
    exposure, or left out when var('experiment_exclude_contaminated')), the metric's count or
    sum, mean and spread, the control variation's (var('experiment_control_variation')), the
    lift over it with a 95% confidence interval, and a two-sided test: pooled two-proportion
    z-test for rates, Welch's t-test for means.
-#}
{#- The 0.975 quantile of the standard normal: a 95% two-sided interval. -#}
{%- set z_975 = 1.959963984540054 %}
{%- set control = var('experiment_control_variation') %}

with outcomes as (
    select * from {{ ref('fct_experiment_outcomes') }}
),

kept as (
    select *
    from outcomes
    {%- if var('experiment_exclude_contaminated') %}
    where not is_contaminated
    {%- endif %}
),

variations as (
    select
        experiment_id,
        variation_id,
        metric_name,
        metric_kind,
        count(*) as exposed_persons,
        sum(metric_value) as metric_sum,
        avg(metric_value) as metric_mean,
        var_samp(metric_value) as metric_variance,
        sum(case when is_contaminated then 1 else 0 end) as contaminated_persons
    from kept
    group by experiment_id, variation_id, metric_name, metric_kind
),

-- The control's row of the same experiment and metric, next to each row.
with_control as (
    select
        *,
        variation_id = '{{ control }}' as is_control,
        max(case when variation_id = '{{ control }}' then exposed_persons end)
            over (partition by experiment_id, metric_name)
            as control_exposed_persons,
        max(case when variation_id = '{{ control }}' then metric_sum end)
            over (partition by experiment_id, metric_name)
            as control_metric_sum,
        max(case when variation_id = '{{ control }}' then metric_mean end)
            over (partition by experiment_id, metric_name)
            as control_metric_mean,
        max(case when variation_id = '{{ control }}' then metric_variance end)
            over (partition by experiment_id, metric_name)
            as control_metric_variance
    from variations
),

-- The standard error of the difference of means, unpooled (the interval; Welch's for
-- means, with the Welch-Satterthwaite degrees of freedom), and the pooled rate (z-test).
compared as (
    select
        *,
        case when not is_control then metric_mean - control_metric_mean end as absolute_lift,
        case
            when not is_control and metric_kind = 'rate'
                then sqrt(
                    metric_mean * (1 - metric_mean) / exposed_persons
                    + control_metric_mean * (1 - control_metric_mean) / control_exposed_persons
                )
            when not is_control and metric_kind = 'mean'
                then sqrt(
                    metric_variance / exposed_persons
                    + control_metric_variance / control_exposed_persons
                )
        end as standard_error,
        case
            when not is_control and metric_kind = 'rate'
                then
                    (metric_sum + control_metric_sum)
                    / (exposed_persons + control_exposed_persons)
        end as pooled_rate,
        case
            when not is_control and metric_kind = 'mean'
                then {{ safe_divide(
                    'power(metric_variance / exposed_persons'
                    ~ ' + control_metric_variance / control_exposed_persons, 2)',
                    'power(metric_variance / exposed_persons, 2) / (exposed_persons - 1)'
                    ~ ' + power(control_metric_variance / control_exposed_persons, 2)'
                    ~ ' / (control_exposed_persons - 1)'
                ) }}
        end as degrees_of_freedom
    from with_control
),

tested as (
    select
        *,
        {{ safe_divide(
            'absolute_lift',
            'sqrt(pooled_rate * (1 - pooled_rate)'
            ~ ' * (1.0 / exposed_persons + 1.0 / control_exposed_persons))'
        ) }} as z_score,
        case
            when metric_kind = 'mean'
                then {{ safe_divide('absolute_lift', 'standard_error') }}
        end as t_statistic,
        -- Half-width of the 95% interval: z for rates, Welch's t quantile for means.
        case
            when metric_kind = 'rate' then {{ z_975 }} * standard_error
            else {{ student_t_quantile(z_975, 'degrees_of_freedom') }} * standard_error
        end as margin_of_error
    from compared
),

-- Welch's t mapped to the normal deviate of the same tail (student_t_to_z).
deviates as (
    select
        *,
        case
            when metric_kind = 'rate' then abs(z_score)
            else {{ student_t_to_z('t_statistic', 'degrees_of_freedom') }}
        end as normal_deviate
    from tested
),

final as (
    select
        experiment_id,
        variation_id,
        metric_name,
        metric_kind,
        cast(exposed_persons as {{ dbt.type_bigint() }}) as exposed_persons,
        cast(
            case when metric_kind = 'rate' then metric_sum end as {{ dbt.type_bigint() }}
        ) as converted_persons,
        cast(metric_sum as {{ type_double() }}) as metric_sum,
        cast(metric_mean as {{ type_double() }}) as metric_mean,
        cast(
            case when metric_kind = 'mean' then metric_variance end as {{ type_double() }}
        ) as metric_variance,
        cast(
            case when metric_kind = 'mean' then sqrt(metric_variance) end as {{ type_double() }}
        ) as metric_stddev,
        cast(control_exposed_persons as {{ dbt.type_bigint() }}) as control_exposed_persons,
        cast(control_metric_sum as {{ type_double() }}) as control_metric_sum,
        cast(control_metric_mean as {{ type_double() }}) as control_metric_mean,
        cast(
            case when metric_kind = 'mean' then sqrt(control_metric_variance) end
            as {{ type_double() }}
        ) as control_metric_stddev,
        cast(absolute_lift as {{ type_double() }}) as absolute_lift,
        cast({{ safe_divide('absolute_lift', 'control_metric_mean') }} as {{ type_double() }})
            as relative_lift,
        cast(absolute_lift - margin_of_error as {{ type_double() }}) as absolute_lift_ci_lower,
        cast(absolute_lift + margin_of_error as {{ type_double() }}) as absolute_lift_ci_upper,
        cast(standard_error as {{ type_double() }}) as standard_error,
        cast(z_score as {{ type_double() }}) as z_score,
        cast(t_statistic as {{ type_double() }}) as t_statistic,
        cast(degrees_of_freedom as {{ type_double() }}) as degrees_of_freedom,
        cast(2 * {{ normal_cdf('-normal_deviate') }} as {{ type_double() }}) as p_value,
        cast(contaminated_persons as {{ dbt.type_bigint() }}) as contaminated_persons,
        is_control
    from deviates
)

select * from final
