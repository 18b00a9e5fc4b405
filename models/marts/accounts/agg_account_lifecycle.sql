{#-
    One row per period and account lifecycle status that occurs in it (accounts > 0): the
    growth accounting of accounts, as agg_lifecycle is of users. Active accounts of a period =
    new + returning + resurrecting; dormant accounts are last period's active accounts that
    were not active again.
-#}
with lifecycle as (
    select * from {{ ref('fct_account_lifecycle') }}
),

final as (
    select
        period_start,
        lifecycle_grain,
        status,
        cast(count(*) as {{ dbt.type_bigint() }}) as accounts
    from lifecycle
    group by period_start, lifecycle_grain, status
)

select * from final
