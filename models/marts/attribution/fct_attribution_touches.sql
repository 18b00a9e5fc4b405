{#-
    One row per (conversion, touch): the converting user's sessions that start within
    var('attribution_lookback_days') before the conversion, up to and including its time,
    with the credit every rule gives each touch. A conversion with no touch gets one (none) row.
    Incremental: a conversion's touches depend only on its user's sessions and on the
    conversion, so each run recomputes whole the conversions of the users
    recomputed_conversion_users lists (changed in int_users_changed, or whose conversions
    int_attribution_conversions rewrote since); the pre-hook deletes their stored rows first
    (delete_user_rows), so a vanished user, or a conversion that is gone, keeps none.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_user_rows(recomputed_conversion_users()) }}",
    )
}}

-- Read only on incremental runs (also by the pre-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_users_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

{%- set lookback_days = var('attribution_lookback_days') | int -%}
{%- set half_life_days = var('attribution_time_decay_half_life_days') | float -%}
{%- set end_share = var('attribution_position_based_end_share') | float -%}
{%- set recomputed = '' %}
{%- if is_incremental() %}
{%- set recomputed = 'where user_key in (' ~ recomputed_conversion_users() ~ ')' %}
{%- endif %}

with conversions as (
    select * from {{ ref('int_attribution_conversions') }}
    {{ recomputed }}
),

sessions as (
    select * from {{ ref('fct_sessions') }}
    {{ recomputed }}
),

windowed as (
    select
        conversions.conversion_id,
        conversions.conversion_type,
        conversions.user_key,
        conversions.revenue,
        conversions.is_first_order,
        conversions.week_start_date,
        conversions.converted_at,
        sessions.session_id,
        sessions.channel,
        sessions.started_at as touch_at
    from conversions
    left join sessions
        on
            conversions.user_key = sessions.user_key
            and sessions.started_at <= conversions.converted_at
            and sessions.started_at
            >= {{ dbt.dateadd('day', -lookback_days, 'conversions.converted_at') }}
),

numbered as (
    select
        *,
        case
            when session_id is not null
                then row_number() over (
                    partition by conversion_type, conversion_id
                    order by touch_at, session_id
                )
        end as touch_number,
        count(session_id) over (
            partition by conversion_type, conversion_id
        ) as touches_in_window,
        {{ seconds_between('touch_at', 'converted_at') }} / 86400.0 as days_before_conversion
    from windowed
),

weighted as (
    select
        *,
        max(case when channel <> '{{ fallback_channel() }}' then touch_number end) over (
            partition by conversion_type, conversion_id
        ) as last_non_direct_number,
        power(
            cast(2 as {{ type_double() }}),
            -days_before_conversion / cast({{ half_life_days }} as {{ type_double() }})
        ) as decay_weight
    from numbered
),

weights_summed as (
    select
        *,
        sum(decay_weight) over (
            partition by conversion_type, conversion_id
        ) as decay_weight_total
    from weighted
),

final as (
    select
        {{ surrogate_key(['conversion_type', 'conversion_id', 'session_id']) }} as touch_id,
        conversion_id,
        session_id,
        user_key,
        conversion_type,
        coalesce(channel, '(none)') as channel,
        cast(touch_number as {{ dbt.type_bigint() }}) as touch_number,
        cast(touches_in_window as {{ dbt.type_bigint() }}) as touches_in_window,
        cast(revenue as {{ dbt.type_numeric() }}) as revenue,
        days_before_conversion,
        cast(
            case when touches_in_window = 0 or touch_number = 1 then 1 else 0 end
            as {{ type_double() }}
        ) as first_touch_credit,
        cast(
            case
                when touches_in_window = 0 or touch_number = touches_in_window then 1 else 0
            end as {{ type_double() }}
        ) as last_touch_credit,
        cast(
            case
                when
                    touches_in_window = 0
                    or touch_number = coalesce(last_non_direct_number, touches_in_window)
                    then 1
                else 0
            end as {{ type_double() }}
        ) as last_non_direct_credit,
        cast(1 as {{ type_double() }}) / cast(
            greatest(touches_in_window, 1) as {{ type_double() }}
        ) as linear_credit,
        case
            when touches_in_window <= 1 then cast(1 as {{ type_double() }})
            when touches_in_window = 2 then cast(0.5 as {{ type_double() }})
            when touch_number = 1 or touch_number = touches_in_window
                then cast({{ end_share }} as {{ type_double() }})
            else
                cast(1 - 2 * {{ end_share }} as {{ type_double() }})
                / cast(touches_in_window - 2 as {{ type_double() }})
        end as position_based_credit,
        coalesce(
            decay_weight / decay_weight_total, cast(1 as {{ type_double() }})
        ) as time_decay_credit,
        is_first_order,
        week_start_date,
        touch_at,
        converted_at,
        {{ run_timestamp() }} as processed_at
    from weights_summed
)

select * from final
