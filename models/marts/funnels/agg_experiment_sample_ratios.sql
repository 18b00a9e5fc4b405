{#-
    One row per experiment with exposed users: a sample-ratio-mismatch check, Pearson's
    chi-square goodness-of-fit of the users first exposed in each variation against the
    expected shares (the experiment's rows of the experiment_variation_weights seed, else an
    equal split over the variations seen), its exact p-value (chi_square_p_value), and the
    flag p < var('experiment_srm_p_value_threshold').
-#}
with exposures as (
    select * from {{ ref('fct_experiment_exposures') }}
),

weights as (
    select * from {{ ref('experiment_variation_weights') }}
),

-- The users agg_experiment_metrics reads: contaminated ones in their first variation, or
-- left out when var('experiment_exclude_contaminated').
observed as (
    select
        experiment_id,
        variation_id,
        count(*) as exposed_persons
    from exposures
    {%- if var('experiment_exclude_contaminated') %}
    where not is_contaminated
    {%- endif %}
    group by experiment_id, variation_id
),

-- Every variation seen or weighted: a weighted variation nobody saw counts as 0 users.
cells as (
    select
        coalesce(observed.experiment_id, weights.experiment_id) as experiment_id,
        coalesce(observed.variation_id, weights.variation_id) as variation_id,
        coalesce(observed.exposed_persons, 0) as exposed_persons,
        cast(weights.weight as {{ type_double() }}) as weight
    from observed
    full outer join weights
        on
            observed.experiment_id = weights.experiment_id
            and observed.variation_id = weights.variation_id
),

shares as (
    select
        *,
        sum(exposed_persons) over (partition by experiment_id) as experiment_persons,
        count(weight) over (partition by experiment_id) > 0 as has_expected_weights,
        case
            when count(weight) over (partition by experiment_id) > 0
                then
                    coalesce(weight, 0)
                    / sum(weight) over (partition by experiment_id)
            else 1.0 / count(*) over (partition by experiment_id)
        end as expected_share
    from cells
),

terms as (
    select
        *,
        expected_share * experiment_persons as expected_persons,
        -- A variation seen but given no weight: the observed split is impossible.
        expected_share = 0 and exposed_persons > 0 as is_unexpected,
        case
            when expected_share > 0
                then
                    power(exposed_persons - expected_share * experiment_persons, 2)
                    / (expected_share * experiment_persons)
        end as chi_square_term
    from shares
    where experiment_persons > 0
),

tested as (
    select
        experiment_id,
        max(case when has_expected_weights then 1 else 0 end) = 1 as has_expected_weights,
        max(case when is_unexpected then 1 else 0 end) = 1 as has_unexpected_variation,
        count(*) as variations,
        sum(exposed_persons) as exposed_persons,
        min(exposed_persons) as min_variation_persons,
        max(exposed_persons) as max_variation_persons,
        case
            when max(case when is_unexpected then 1 else 0 end) = 0
                then sum(chi_square_term)
        end as chi_square,
        count(*) - 1 as degrees_of_freedom
    from terms
    group by experiment_id
),

p_valued as (
    select
        *,
        {{ chi_square_p_value('chi_square', 'degrees_of_freedom') }} as p_value
    from tested
),

final as (
    select
        experiment_id,
        cast(variations as {{ dbt.type_bigint() }}) as variations,
        cast(exposed_persons as {{ dbt.type_bigint() }}) as exposed_persons,
        cast(min_variation_persons as {{ dbt.type_bigint() }}) as min_variation_persons,
        cast(max_variation_persons as {{ dbt.type_bigint() }}) as max_variation_persons,
        cast(chi_square as {{ type_double() }}) as chi_square,
        cast(degrees_of_freedom as {{ dbt.type_bigint() }}) as degrees_of_freedom,
        cast(p_value as {{ type_double() }}) as p_value,
        has_unexpected_variation
        or coalesce(p_value < {{ var('experiment_srm_p_value_threshold') }}, false)
            as is_sample_ratio_mismatch,
        has_expected_weights,
        has_unexpected_variation
    from p_valued
)

select * from final
