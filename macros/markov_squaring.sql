{#-
    The select that squares a stack of transition matrices: `matrix` has one row per
    (removed_state, from_state, to_state) with its probability; the result has the same
    columns, one row per pair of states linked through some state, with the sum of the
    products. Entries of 1e-150 or less are dropped first: a product can then never underflow
    (an error on PostgreSQL), and what they carry (< 1e-148) shows as unabsorbed probability.
    `states` is a relation (a name or a parenthesised query) with one column `state` holding
    every state of the matrices.
    DuckDB and PostgreSQL: a join of the matrix to itself. Spark inlines CTEs into every
    query that reads them, so a self-join per squaring would plan 2^N copies of the first
    matrix after N squarings: there each entry is emitted twice, as a left factor keyed by
    its to_state and as a right factor keyed by its from_state, fanned out over `states` for
    the other index, so that the two factors of every product meet in one group and the
    matrix is read once.
-#}
{% macro markov_squaring(matrix, states) -%}
    {{ return(adapter.dispatch('markov_squaring', 'growth_metrics')(matrix, states)) }}
{%- endmacro %}

{% macro default__markov_squaring(matrix, states) -%}
    select
        left_matrix.removed_state,
        left_matrix.from_state,
        right_matrix.to_state,
        sum(left_matrix.probability * right_matrix.probability) as probability
    from {{ matrix }} as left_matrix
    inner join {{ matrix }} as right_matrix
        on
            left_matrix.removed_state = right_matrix.removed_state
            and left_matrix.to_state = right_matrix.from_state
    where left_matrix.probability > 1e-150 and right_matrix.probability > 1e-150
    group by left_matrix.removed_state, left_matrix.from_state, right_matrix.to_state
{%- endmacro %}

{% macro spark__markov_squaring(matrix, states) -%}
    select
        removed_state,
        from_state,
        to_state,
        sum(probability) as probability
    from (
        select
            removed_state,
            from_state,
            to_state,
            max(left_probability) * max(right_probability) as probability
        from (
            -- entry (a, b) as left factor: (from a, via b, to every state); as right
            -- factor: (from every state, via a, to b)
            select
                entries.removed_state,
                case when factor_roles.is_left then entries.from_state else states.state end
                    as from_state,
                case when factor_roles.is_left then entries.to_state else entries.from_state end
                    as via_state,
                case when factor_roles.is_left then states.state else entries.to_state end
                    as to_state,
                case when factor_roles.is_left then entries.probability end as left_probability,
                case when not factor_roles.is_left then entries.probability end
                    as right_probability
            from {{ matrix }} as entries
            cross join (
                select true as is_left
                union all
                select false as is_left
            ) as factor_roles
            cross join {{ states }} as states
            where entries.probability > 1e-150
        ) as factors
        group by removed_state, from_state, via_state, to_state
    ) as products
    -- pairs with only one factor present
    where probability is not null
    group by removed_state, from_state, to_state
{%- endmacro %}
