{#-
    The lifecycle rules of fct_user_lifecycle and fct_account_lifecycle, for any entity: CTEs
    `sequenced`, `active_rows`, `dormant_rows` and `unioned` (columns `entity_column`,
    period_start, status, periods_since_active), to be placed inside the caller's `with` and
    followed by a comma. They read two CTEs the caller defines before them:
      active_periods   one row per entity (column `entity_column`) and period start
                       (period_start, a reporting_period_start of `grain`) it was active in;
      data_end         one row: last_period_start, the period of the latest event.
    Statuses: new (first active period), returning (active in the previous period too),
    resurrecting (active before, not in the previous period), and one dormant row for the
    period right after each run of active periods, when it is not after data_end's period.
-#}
{% macro lifecycle_statuses(entity_column, grain) -%}
sequenced as (
    select
        {{ entity_column }},
        period_start,
        lag(period_start) over (partition by {{ entity_column }} order by period_start)
            as previous_active_start,
        lead(period_start) over (partition by {{ entity_column }} order by period_start)
            as next_active_start
    from active_periods
),

active_rows as (
    select
        {{ entity_column }},
        period_start,
        case
            when previous_active_start is null then 'new'
            when {{ periods_between('previous_active_start', 'period_start', grain) }} = 1
                then 'returning'
            else 'resurrecting'
        end as status,
        {{ periods_between('previous_active_start', 'period_start', grain) }}
            as periods_since_active
    from sequenced
),

-- The period right after an active one, when the entity is not active in it and it is not
-- after the latest period with data. Later inactive periods get no row.
dormant_rows as (
    select
        sequenced.{{ entity_column }},
        cast({{ dbt.dateadd(grain, 1, 'sequenced.period_start') }} as date) as period_start,
        'dormant' as status,
        cast(1 as {{ dbt.type_bigint() }}) as periods_since_active
    from sequenced
    cross join data_end
    where
        sequenced.period_start < data_end.last_period_start
        and (
            sequenced.next_active_start is null
            or {{ periods_between('sequenced.period_start', 'sequenced.next_active_start', grain) }}
            > 1
        )
),

unioned as (
    select * from active_rows
    union all
    select * from dormant_rows
)
{%- endmacro %}
