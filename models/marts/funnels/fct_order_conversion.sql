{#-
    One row per user_key of the zero-order population: every user_key (anonymous visitors
    included) first seen in an event and whose first completed order, if any, is not before
    that first event. Users who ordered before we first saw them (or who are known only from
    orders) are existing customers and left out; bots and internal users are left out.
    Incremental: recomputes the users int_users_changed found changed since its last run;
    the pre-hook deletes their stored rows first (delete_changed_users).
-#}
{#- append: the pre-hook has deleted every stored row of the users the model writes. #}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_changed_users() }}",
    )
}}

-- Read only on incremental runs (also by the pre-hook), declared here so that dbt orders
-- the build:
-- depends_on: {{ ref('int_users_changed') }}
-- depends_on: {{ ref('stg_privacy__erased_identities') }}

with users as (
    select * from {{ ref('dim_users') }}
    {%- if is_incremental() %}
    where user_key in ({{ changed_users() }})
    {%- endif %}
),

population as (
    select
        user_key,
        acquisition_channel,
        region,
        first_seen_at,
        first_order_at
    from users
    where
        not is_internal
        and not is_bot
        and first_seen_at is not null
        and (first_order_at is null or first_order_at >= first_seen_at)
),

final as (
    select
        user_key,
        acquisition_channel,
        region,
        {{ seconds_between('first_seen_at', 'first_order_at') }} / 3600.0 as hours_to_first_order,
        coalesce(
            cast({{ to_reporting_timestamp('first_order_at') }} as date)
            = cast({{ to_reporting_timestamp('first_seen_at') }} as date),
            false
        ) as converted_same_day,
        -- The 7 is in the column's name: other windows are agg_conversion_windows' (a var) or
        -- the conversion_within macro's.
        coalesce(
            first_order_at <= {{ dbt.dateadd('hour', 7 * 24, 'first_seen_at') }}, false
        ) as converted_within_7d,
        cast({{ to_reporting_timestamp('first_seen_at') }} as date) as first_seen_date,
        first_seen_at,
        first_order_at,
        {{ run_timestamp() }} as processed_at
    from population
)

select * from final
