-- The squared transition matrix has absorbed (almost) all the probability mass from start:
-- what is left after var('attribution_markov_squarings') squarings is at most 1e-9, and the
-- removal shares sum to 1. Returns the channels of a chain that did not converge.
with effects as (
    select * from {{ ref('agg_markov_removal_effects') }}
    where channel <> '(none)'
),

share_total as (
    select sum(removal_share) as total_share
    from effects
),

final as (
    select
        effects.channel,
        effects.unabsorbed_probability,
        share_total.total_share
    from effects
    cross join share_total
    where
        effects.unabsorbed_probability > 1e-9
        or effects.unabsorbed_probability is null
        or abs(share_total.total_share - 1) > 1e-9
)

select * from final
