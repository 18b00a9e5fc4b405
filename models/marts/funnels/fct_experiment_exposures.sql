{#-
    One row per experiment and exposed user: the variation of the user's first exposure,
    whether they were later seen in another variation, and whether they placed a completed
    order within var('experiment_conversion_window_days') days of the first exposure. The
    per-user part of agg_experiment_results.
-#}
with exposures as (
    select * from {{ ref('stg_segment__experiment_viewed') }}
),

links as (
    select * from {{ ref('int_anonymous_ids_linked') }}
),

internal_users as (
    select * from {{ ref('int_users_flagged_internal') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

-- Exposures keyed like fct_events: own user_id, else the device's first linked user, else
-- the device. Internal users and users all of whose events are bot traffic are left out.
keyed as (
    select
        exposures.event_id,
        {{ keyed_user('exposures', 'links') }} as user_key,
        exposures.experiment_id,
        exposures.variation_id,
        exposures.is_listed_internal_user,
        exposures.event_at
    from exposures
    left join links
        on exposures.anonymous_id = links.anonymous_id
),

kept as (
    select keyed.*
    from keyed
    left join internal_users
        on keyed.user_key = internal_users.user_id
    left join users
        on keyed.user_key = users.user_key
    where
        not keyed.is_listed_internal_user
        and internal_users.user_id is null
        and not coalesce(users.is_bot, false)
),

ranked as (
    select
        *,
        row_number() over (
            partition by user_key, experiment_id
            order by event_at, event_id
        ) as exposure_number
    from kept
),

exposed_users as (
    select
        user_key,
        experiment_id,
        max(case when exposure_number = 1 then variation_id end) as variation_id,
        min(event_at) as first_exposed_at,
        count(distinct variation_id) > 1 as is_contaminated
    from ranked
    group by user_key, experiment_id
),

converted as (
    select
        exposed_users.user_key,
        exposed_users.experiment_id
    from exposed_users
    inner join orders
        on exposed_users.user_key = orders.user_key
    where
        orders.is_completed
        and orders.ordered_at >= exposed_users.first_exposed_at
        and orders.ordered_at <= {{ dbt.dateadd(
            'day', var('experiment_conversion_window_days'), 'exposed_users.first_exposed_at'
        ) }}
    group by exposed_users.user_key, exposed_users.experiment_id
),

final as (
    select
        exposed_users.experiment_id,
        exposed_users.user_key,
        exposed_users.variation_id,
        exposed_users.is_contaminated,
        converted.user_key is not null as is_converted,
        cast({{ to_reporting_timestamp('exposed_users.first_exposed_at') }} as date)
            as first_exposed_date,
        exposed_users.first_exposed_at
    from exposed_users
    left join converted
        on
            exposed_users.user_key = converted.user_key
            and exposed_users.experiment_id = converted.experiment_id
)

select * from final
