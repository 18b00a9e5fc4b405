{#-
    One row per channel of the Markov chain (plus (none)): its removal effect and the first
    orders it is credited with. The absorbing chain (start, channels, conversion, null) is
    solved for every removal at once: the transition matrix of each scenario is squared
    var('attribution_markov_squarings') times (P^(2^N): the probability of ending in each
    absorbing state): macro markov_power (a join and a group by per squaring; on Spark the
    squarings of a dense array, in one expression).
-#}
{%- set squarings = var('attribution_markov_squarings') | int -%}
{#- Every state of the chain (any scenario), for markov_power where it needs them (Spark):
    read from the transitions, not from power_0, which Spark, inlining CTEs into each query
    that reads them, would then compute twice. #}
{%- set states -%}
    (
        select from_state as state from transitions
        union
        select to_state as state from transitions
        union
        select absorbing_state as state from absorbing_states
    )
{%- endset %}

with transitions as (
    select * from {{ ref('int_attribution_markov_transitions') }}
),

conversions as (
    select * from {{ ref('int_attribution_conversions') }}
),

channels as (
    select distinct to_state as channel
    from transitions
    where to_state not in ('(conversion)', '(null)')
),

scenarios as (
    -- the full chain, and the chain without each channel
    select '(none removed)' as removed_state

    union all

    select channel as removed_state
    from channels
),

transient_rows as (
    -- a removed channel's row is dropped and every transition into it goes to (null)
    select
        scenarios.removed_state,
        transitions.from_state,
        case
            when transitions.to_state = scenarios.removed_state then '(null)'
            else transitions.to_state
        end as to_state,
        transitions.probability
    from scenarios
    cross join transitions
    where transitions.from_state <> scenarios.removed_state
),

absorbing_states as (
    select '(conversion)' as absorbing_state
    union all
    select '(null)' as absorbing_state
),

absorbing_rows as (
    select
        scenarios.removed_state,
        absorbing_states.absorbing_state as from_state,
        absorbing_states.absorbing_state as to_state,
        cast(1 as {{ type_double() }}) as probability
    from scenarios
    cross join absorbing_states
),

power_0 as (
    select
        removed_state,
        from_state,
        to_state,
        sum(probability) as probability
    from transient_rows
    group by removed_state, from_state, to_state

    union all

    select
        removed_state,
        from_state,
        to_state,
        probability
    from absorbing_rows
),

{{ markov_power('power_0', states, squarings, 'power_final') }}

absorbed as (
    select
        removed_state,
        sum(
            case when to_state = '(conversion)' then probability else 0 end
        ) as conversion_probability,
        1 - sum(
            case when to_state in ('(conversion)', '(null)') then probability else 0 end
        ) as unabsorbed_probability
    from power_final
    where from_state = '(start)'
    group by removed_state
),

-- the full chain's figures on every row (one read of absorbed, not a join of it to itself)
with_full_chain as (
    select
        removed_state,
        conversion_probability,
        unabsorbed_probability,
        max(
            case when removed_state = '(none removed)' then conversion_probability end
        ) over () as chain_conversion_probability,
        max(
            case when removed_state = '(none removed)' then unabsorbed_probability end
        ) over () as chain_unabsorbed_probability
    from absorbed
),

effects as (
    select
        removed_state as channel,
        chain_conversion_probability,
        conversion_probability as conversion_probability_without,
        greatest(
            1 - {{ safe_divide('conversion_probability', 'chain_conversion_probability') }},
            0
        ) as removal_effect,
        greatest(
            abs(unabsorbed_probability), abs(chain_unabsorbed_probability)
        ) as unabsorbed_probability
    from with_full_chain
    where
        removed_state <> '(none removed)'
        and chain_conversion_probability is not null
),

shares as (
    select
        *,
        {{ safe_divide('removal_effect', 'sum(removal_effect) over ()') }} as removal_share
    from effects
),

first_orders as (
    select
        has_prior_session,
        count(*) as conversions,
        sum(cast(revenue as {{ type_double() }})) as revenue
    from conversions
    where conversion_type = 'order' and is_first_order
    group by has_prior_session
),

credited as (
    select
        shares.channel,
        shares.chain_conversion_probability,
        shares.conversion_probability_without,
        shares.removal_effect,
        shares.removal_share,
        shares.unabsorbed_probability,
        coalesce(shares.removal_share * first_orders.conversions, 0) as credited_conversions,
        coalesce(shares.removal_share * first_orders.revenue, 0) as credited_revenue
    from shares
    left join first_orders
        on first_orders.has_prior_session

    union all

    select
        '(none)' as channel,
        null as chain_conversion_probability,
        null as conversion_probability_without,
        null as removal_effect,
        null as removal_share,
        null as unabsorbed_probability,
        conversions as credited_conversions,
        revenue as credited_revenue
    from first_orders
    where not has_prior_session
),

final as (
    select
        channel,
        cast(chain_conversion_probability as {{ type_double() }}) as chain_conversion_probability,
        cast(conversion_probability_without as {{ type_double() }})
            as conversion_probability_without,
        cast(removal_effect as {{ type_double() }}) as removal_effect,
        cast(removal_share as {{ type_double() }}) as removal_share,
        cast(credited_conversions as {{ type_double() }}) as credited_conversions,
        cast(credited_revenue as {{ type_double() }}) as credited_revenue,
        cast(unabsorbed_probability as {{ type_double() }}) as unabsorbed_probability
    from credited
)

select * from final
