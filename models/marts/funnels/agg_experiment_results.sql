{#-
    One row per experiment and variation: users first exposed in it, how many placed a
    completed order within var('experiment_conversion_window_days') of their first exposure,
    and a pooled two-proportion z-test of each variation against the control variation
    (var('experiment_control_variation')).
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

variations as (
    select
        exposed_users.experiment_id,
        exposed_users.variation_id,
        count(*) as users,
        count(converted.user_key) as converted_users,
        sum(case when exposed_users.is_contaminated then 1 else 0 end) as contaminated_users
    from exposed_users
    left join converted
        on
            exposed_users.user_key = converted.user_key
            and exposed_users.experiment_id = converted.experiment_id
    group by exposed_users.experiment_id, exposed_users.variation_id
),

with_control as (
    select
        variations.*,
        variations.variation_id = '{{ var("experiment_control_variation") }}' as is_control,
        cast(variations.converted_users as double precision) / variations.users
            as conversion_rate,
        control.users as control_users,
        control.converted_users as control_converted_users,
        cast(control.converted_users as double precision) / control.users
            as control_rate,
        cast(variations.converted_users + control.converted_users as double precision)
        / (variations.users + control.users) as pooled_rate
    from variations
    left join variations as control
        on
            variations.experiment_id = control.experiment_id
            and control.variation_id = '{{ var("experiment_control_variation") }}'
),

tested as (
    select
        *,
        case
            when not is_control
                then {{ safe_divide(
                    'conversion_rate - control_rate',
                    'sqrt(pooled_rate * (1 - pooled_rate)'
                    ~ ' * (1.0 / users + 1.0 / control_users))'
                ) }}
        end as z_score
    from with_control
),

final as (
    select
        experiment_id,
        variation_id,
        cast(users as {{ dbt.type_bigint() }}) as users,
        cast(converted_users as {{ dbt.type_bigint() }}) as converted_users,
        cast(conversion_rate as double precision) as conversion_rate,
        cast(
            case
                when not is_control then {{ safe_divide('conversion_rate', 'control_rate') }} - 1
            end
            as double precision
        ) as lift_vs_control,
        cast(z_score as double precision) as z_score,
        cast(2 * {{ normal_cdf('-abs(z_score)') }} as double precision) as p_value,
        cast(contaminated_users as {{ dbt.type_bigint() }}) as contaminated_users,
        is_control
    from tested
)

select * from final
