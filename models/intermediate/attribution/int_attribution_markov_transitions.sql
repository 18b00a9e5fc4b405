{#-
    The first-order Markov chain of channel journeys: one row per observed transition
    (from_state, to_state) with its count over every user's journey
    (int_attribution_journey_transitions, where journeys are defined) and its probability.
    A group by over the per-user counts, which are incremental: no session is read here.
-#}
with journey_transitions as (
    select * from {{ ref('int_attribution_journey_transitions') }}
),

counted as (
    select
        from_state,
        to_state,
        sum(transitions) as transitions
    from journey_transitions
    group by from_state, to_state
),

final as (
    select
        from_state,
        to_state,
        cast(transitions as {{ dbt.type_bigint() }}) as transitions,
        cast(transitions as {{ type_double() }}) / cast(
            sum(transitions) over (partition by from_state) as {{ type_double() }}
        ) as probability
    from counted
)

select * from final
