{#-
    CTE definitions (each followed by a comma) ending in CTE `name`: the 2^squarings-th power
    of a stack of transition matrices. `matrix` (a CTE) has one row per (removed_state,
    from_state, to_state) with its probability, absent pairs being 0; `name` has the same
    columns for the power. `states` is a relation (a name or a parenthesised query) with one
    column `state` holding every state of the matrices.
    DuckDB and PostgreSQL: one CTE per squaring, a join of the previous power to itself and a
    group by (a pair no path links has no row). Entries of 1e-150 or less are dropped first: a
    product can then never underflow (an error on PostgreSQL), and what they carry (< 1e-148)
    shows as unabsorbed probability.
    Spark inlines a CTE into every query that reads it, so a self-join per squaring would plan
    2^N copies of the first matrix: there each scenario's matrix is a dense array of rows
    (states numbered in name order) and every squaring runs inside one `aggregate` over the
    squarings, on one row per scenario, with no join or shuffle; the power is then unpacked to
    one row per pair of states (zeros included). Doubles underflow to 0 there.
-#}
{% macro markov_power(matrix, states, squarings, name) -%}
    {{ return(adapter.dispatch('markov_power', 'growth_metrics')(matrix, states, squarings, name)) }}
{%- endmacro %}

{% macro default__markov_power(matrix, states, squarings, name) -%}
{%- for step in range(1, squarings + 1) %}
{%- set previous = matrix if step == 1 else name ~ '_' ~ (step - 1) %}
{{ name }}_{{ step }} as (
    select
        left_matrix.removed_state,
        left_matrix.from_state,
        right_matrix.to_state,
        sum(left_matrix.probability * right_matrix.probability) as probability
    from {{ previous }} as left_matrix
    inner join {{ previous }} as right_matrix
        on
            left_matrix.removed_state = right_matrix.removed_state
            and left_matrix.to_state = right_matrix.from_state
    where left_matrix.probability > 1e-150 and right_matrix.probability > 1e-150
    group by left_matrix.removed_state, left_matrix.from_state, right_matrix.to_state
),
{% endfor %}
{{ name }} as (
    select * from {{ name ~ '_' ~ squarings if squarings > 0 else matrix }}
),
{%- endmacro %}

{% macro spark__markov_power(matrix, states, squarings, name) -%}
{{ name }}_state_numbers as (
    select
        state,
        cast(row_number() over (order by state) - 1 as int) as state_number,
        cast(count(*) over () as int) as state_count
    from {{ states }} as states
),

{{ name }}_entries as (
    -- each scenario's entries as a map from row * state_count + column to probability
    select
        entries.removed_state,
        max(from_states.state_count) as state_count,
        map_from_entries(collect_list(struct(
            from_states.state_number * from_states.state_count + to_states.state_number,
            cast(entries.probability as double)
        ))) as probabilities
    from {{ matrix }} as entries
    inner join {{ name }}_state_numbers as from_states
        on entries.from_state = from_states.state
    inner join {{ name }}_state_numbers as to_states
        on entries.to_state = to_states.state
    group by entries.removed_state
),

{{ name }}_dense as (
    select
        removed_state,
        aggregate(
            {# sequence(1, 0) counts down: no squaring is an empty array -#}
            {{ 'sequence(1, ' ~ squarings ~ ')' if squarings > 0 else 'cast(array() as array<int>)' }},
            transform(
                sequence(0, state_count - 1),
                i -> transform(
                    sequence(0, state_count - 1),
                    j -> coalesce(probabilities[i * state_count + j], cast(0 as double))
                )
            ),
            -- one squaring: (power x power)[i][j] = sum over k of power[i][k] * power[k][j]
            (power, squaring) -> transform(
                power,
                from_row -> transform(
                    sequence(0, size(power) - 1),
                    j -> aggregate(
                        sequence(0, size(power) - 1),
                        cast(0 as double),
                        (total, k) -> total + from_row[k] * power[k][j]
                    )
                )
            )
        ) as power
    from {{ name }}_entries
),

{{ name }} as (
    select
        dense.removed_state,
        from_states.state as from_state,
        to_states.state as to_state,
        dense.power[from_states.state_number][to_states.state_number] as probability
    from {{ name }}_dense as dense
    cross join {{ name }}_state_numbers as from_states
    cross join {{ name }}_state_numbers as to_states
),
{%- endmacro %}
