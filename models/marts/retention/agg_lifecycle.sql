{#-
    One row per period and lifecycle status that occurs in it (users > 0): the growth
    accounting of var('lifecycle_grain') periods. Active users of a period = new + returning
    + resurrecting; dormant users are last period's active users who did not return.
-#}
with lifecycle as (
    select * from {{ ref('fct_user_lifecycle') }}
),

final as (
    select
        period_start,
        lifecycle_grain,
        status,
        cast(count(*) as {{ dbt.type_bigint() }}) as users
    from lifecycle
    group by period_start, lifecycle_grain, status
)

select * from final
