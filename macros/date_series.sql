{#-
    Every date from start_date to end_date, one a row, as a set-returning expression of a
    select list: `select {{ date_series('first_date', 'last_date') }} as spine_date from
    bounds` gives one row per date of each bounds row. grain 'day', 'week' or 'month' steps
    from start_date by that period (end_date is included when it falls on a step). An
    end_date before start_date (or null) gives start_date alone; a null start_date gives no
    row. Bounded by the data (no recursive CTE, which Spark has not, and no calendar table,
    whose range the data can leave).
-#}
{% macro date_series(start_date, end_date, grain='day') -%}
    {%- if grain not in ['day', 'week', 'month'] -%}
        {{ exceptions.raise_compiler_error(
            "date_series grain must be 'day', 'week' or 'month', not '" ~ grain ~ "'"
        ) }}
    {%- endif -%}
    {{ return(adapter.dispatch('date_series', 'growth_metrics')(start_date, end_date, grain)) }}
{%- endmacro %}

{% macro default__date_series(start_date, end_date, grain) -%}
    cast(generate_series(
        cast({{ start_date }} as timestamp),
        cast(greatest({{ start_date }}, {{ end_date }}) as timestamp),
        interval '1 {{ grain }}'
    ) as date)
{%- endmacro %}

{% macro duckdb__date_series(start_date, end_date, grain) -%}
    cast(unnest(generate_series(
        cast({{ start_date }} as timestamp),
        cast(greatest({{ start_date }}, {{ end_date }}) as timestamp),
        interval '1 {{ grain }}'
    )) as date)
{%- endmacro %}

{% macro spark__date_series(start_date, end_date, grain) -%}
    explode(sequence(
        cast({{ start_date }} as date),
        cast(greatest({{ start_date }}, {{ end_date }}) as date),
        interval 1 {{ grain }}
    ))
{%- endmacro %}
