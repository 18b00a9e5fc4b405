{#-
    One row per experiment, exposed user and metric of var('experiment_metrics'): the user's
    outcome on that metric, measured from their first exposure (fct_experiment_exposures),
    in the variation of that first exposure. Rates are 0 or 1 per user, means are the user's
    amount (0 when none). Long, so that any metric splits by variation with one group by and
    adding a metric adds rows, not columns. The per-user part of agg_experiment_metrics.
-#}
{#- The metrics this model knows, and their kind; var('experiment_metrics') picks among them. #}
{%- set metric_kinds = {
    'signup': 'rate',
    'activation': 'rate',
    'first_order': 'rate',
    'week_1_return': 'rate',
    'revenue': 'mean',
} %}
{%- set metrics = var('experiment_metrics') %}
{%- for metric in metrics %}
{%- if metric not in metric_kinds %}
{{ exceptions.raise_compiler_error(
    "var('experiment_metrics') names '" ~ metric ~ "'; known metrics: "
    ~ (metric_kinds.keys() | join(', '))
) }}
{%- endif %}
{%- endfor %}
{%- set window_end = dbt.dateadd(
    'day', var('experiment_conversion_window_days'), 'exposures.first_exposed_at'
) %}
{%- set return_window_end = dbt.dateadd(
    'hour', (var('return_window_days') | int) * 24, 'exposures.first_exposed_at'
) %}

with exposures as (
    select * from {{ ref('fct_experiment_exposures') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

events as (
    select * from {{ ref('fct_events') }}
),

sessions as (
    select * from {{ ref('fct_sessions') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

-- Exposures with a var('activation_event_name') event in the window (any such event: an
-- activation before the exposure does not count, one more inside the window does).
activated as (
    select
        exposures.experiment_id,
        exposures.user_key
    from exposures
    inner join events
        on exposures.user_key = events.user_key
    where
        {{ 'true' if 'activation' in metrics else 'false' }}
        and events.event_name = '{{ var("activation_event_name") }}'
        and events.event_at >= exposures.first_exposed_at
        and events.event_at <= {{ window_end }}
    group by exposures.experiment_id, exposures.user_key
),

-- Exposures followed by a session that starts strictly after the first exposure and no
-- later than var('return_window_days') x 24 h after it (fct_user_returns' definition, from
-- the exposure instead of the first session).
returned as (
    select
        exposures.experiment_id,
        exposures.user_key
    from exposures
    inner join sessions
        on exposures.user_key = sessions.user_key
    where
        {{ 'true' if 'week_1_return' in metrics else 'false' }}
        and sessions.started_at > exposures.first_exposed_at
        and sessions.started_at <= {{ return_window_end }}
    group by exposures.experiment_id, exposures.user_key
),

-- Revenue of the completed orders placed in the window.
order_revenue as (
    select
        exposures.experiment_id,
        exposures.user_key,
        sum(orders.revenue) as revenue
    from exposures
    inner join orders
        on exposures.user_key = orders.user_key
    where
        {{ 'true' if 'revenue' in metrics else 'false' }}
        and orders.is_completed
        and orders.ordered_at >= exposures.first_exposed_at
        and orders.ordered_at <= {{ window_end }}
    group by exposures.experiment_id, exposures.user_key
),

outcomes as (
    select
        exposures.experiment_id,
        exposures.user_key,
        exposures.variation_id,
        exposures.is_contaminated,
        exposures.first_exposed_at,
        case
            when
                users.signed_up_at >= exposures.first_exposed_at
                and users.signed_up_at <= {{ window_end }}
                then 1.0
            else 0.0
        end as signup,
        case when activated.user_key is not null then 1.0 else 0.0 end as activation,
        case
            when
                users.first_order_at >= exposures.first_exposed_at
                and users.first_order_at <= {{ window_end }}
                then 1.0
            else 0.0
        end as first_order,
        case when returned.user_key is not null then 1.0 else 0.0 end as week_1_return,
        coalesce(cast(order_revenue.revenue as {{ type_double() }}), 0.0) as revenue
    from exposures
    left join users
        on exposures.user_key = users.user_key
    left join activated
        on
            exposures.experiment_id = activated.experiment_id
            and exposures.user_key = activated.user_key
    left join returned
        on
            exposures.experiment_id = returned.experiment_id
            and exposures.user_key = returned.user_key
    left join order_revenue
        on
            exposures.experiment_id = order_revenue.experiment_id
            and exposures.user_key = order_revenue.user_key
),

metrics as (
    {%- for metric in metrics %}
    select
        '{{ metric }}' as metric_name,
        '{{ metric_kinds[metric] }}' as metric_kind
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        outcomes.experiment_id,
        outcomes.user_key,
        metrics.metric_name,
        outcomes.variation_id,
        metrics.metric_kind,
        cast(
            case metrics.metric_name
                {%- for metric in metrics %}
                when '{{ metric }}' then outcomes.{{ metric }}
                {%- endfor %}
            end
            as {{ type_double() }}
        ) as metric_value,
        outcomes.is_contaminated,
        outcomes.first_exposed_at
    from outcomes
    cross join metrics
)

select * from final
