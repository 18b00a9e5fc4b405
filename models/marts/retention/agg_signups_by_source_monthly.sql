{#-
    One row per month (of the signup, in var('reporting_timezone')) and answer to "how did you
    hear about us": signups of users who are neither internal nor bots.
-#}
with users as (
    select * from {{ ref('dim_users') }}
),

signups as (
    select
        {{ reporting_period_start('signed_up_at', 'month') }} as signup_month,
        coalesce(heard_about, 'unknown') as heard_about
    from users
    where
        signed_up_at is not null
        and not is_internal
        and not is_bot
),

final as (
    select
        signup_month,
        heard_about,
        cast(count(*) as {{ dbt.type_bigint() }}) as signups
    from signups
    group by signup_month, heard_about
)

select * from final
