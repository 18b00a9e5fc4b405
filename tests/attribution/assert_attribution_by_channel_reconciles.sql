-- Per conversion type, model and week, agg_attribution_by_channel's credited conversions and
-- revenue add up to the conversions and their revenue (int_attribution_conversions): every
-- conversion for the rule models, first orders for markov. Relative tolerance 1e-9.
-- Returns each (type, model, week) that does not reconcile.
with conversions as (
    select * from {{ ref('int_attribution_conversions') }}
),

by_channel as (
    select * from {{ ref('agg_attribution_by_channel') }}
),

attribution_models as (
    select distinct
        conversion_type,
        model
    from by_channel
),

expected as (
    select
        attribution_models.conversion_type,
        attribution_models.model,
        conversions.week_start_date,
        count(*) as conversions,
        sum(cast(conversions.revenue as {{ type_double() }})) as revenue
    from attribution_models
    inner join conversions
        on
            attribution_models.conversion_type = conversions.conversion_type
            and (attribution_models.model <> 'markov' or conversions.is_first_order)
    group by
        attribution_models.conversion_type,
        attribution_models.model,
        conversions.week_start_date
),

credited as (
    select
        conversion_type,
        model,
        week_start_date,
        sum(credited_conversions) as credited_conversions,
        sum(credited_revenue) as credited_revenue
    from by_channel
    group by conversion_type, model, week_start_date
),

final as (
    select
        coalesce(expected.conversion_type, credited.conversion_type) as conversion_type,
        coalesce(expected.model, credited.model) as model,
        coalesce(expected.week_start_date, credited.week_start_date) as week_start_date,
        expected.conversions,
        credited.credited_conversions,
        expected.revenue,
        credited.credited_revenue
    from expected
    full outer join credited
        on
            expected.conversion_type = credited.conversion_type
            and expected.model = credited.model
            and expected.week_start_date = credited.week_start_date
    where
        abs(coalesce(expected.conversions, 0) - coalesce(credited.credited_conversions, 0))
        > 1e-9 * greatest(coalesce(expected.conversions, 0), 1)
        or abs(coalesce(expected.revenue, 0) - coalesce(credited.credited_revenue, 0))
        > 1e-9 * greatest(abs(coalesce(expected.revenue, 0)), 1)
)

select * from final
