{#-
    One row per conversion type, attribution model, channel and week: the conversions and
    revenue each model credits to the channel, the week's ad spend mapped to the channel by
    the channel_rules seed, and the return on that spend.
-#}
{%- set rules = [
    'first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay',
] -%}
{%- set spend_day = 'cast(ad_spend.spend_date as ' ~ dbt.type_timestamp() ~ ')' -%}

with touches as (
    select * from {{ ref('fct_attribution_touches') }}
),

conversions as (
    select * from {{ ref('int_attribution_conversions') }}
),

markov as (
    select * from {{ ref('agg_markov_removal_effects') }}
),

ad_spend as (
    select * from {{ ref('stg_marketing__ad_spend') }}
),

spend_sources as (
    select distinct
        utm_source,
        utm_medium,
        cast(null as {{ dbt.type_string() }}) as referrer_host
    from ad_spend
),

matched_rules as (
    {{ channel_rule_matches('spend_sources') }}
),

spend_rows as (
    select
        coalesce(matched_rules.channel, '{{ fallback_channel() }}') as channel,
        cast({{ dbt.date_trunc('week', spend_day) }} as date) as week_start_date,
        ad_spend.spend
    from ad_spend
    left join matched_rules
        on
            ad_spend.utm_source is not distinct from matched_rules.utm_source
            and ad_spend.utm_medium is not distinct from matched_rules.utm_medium
            and matched_rules.referrer_host is null
),

spend as (
    select
        channel,
        week_start_date,
        sum(spend) as spend
    from spend_rows
    group by channel, week_start_date
),

rule_credits as (
    {% for rule in rules %}
    select
        conversion_type,
        '{{ rule }}' as model,
        channel,
        week_start_date,
        sum({{ rule }}_credit) as credited_conversions,
        sum({{ rule }}_credit * cast(revenue as {{ type_double() }})) as credited_revenue
    from touches
    group by conversion_type, channel, week_start_date
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

first_orders as (
    select
        week_start_date,
        has_prior_session,
        count(*) as conversions,
        sum(cast(revenue as {{ type_double() }})) as revenue
    from conversions
    where conversion_type = 'order' and is_first_order
    group by week_start_date, has_prior_session
),

markov_credits as (
    -- first orders with a journey, shared by the removal effects; the rest to (none)
    select
        'order' as conversion_type,
        'markov' as model,
        markov.channel,
        first_orders.week_start_date,
        first_orders.conversions * markov.removal_share as credited_conversions,
        first_orders.revenue * markov.removal_share as credited_revenue
    from first_orders
    inner join markov
        on
            first_orders.has_prior_session
            and markov.removal_share is not null

    union all

    select
        'order' as conversion_type,
        'markov' as model,
        '(none)' as channel,
        week_start_date,
        conversions as credited_conversions,
        revenue as credited_revenue
    from first_orders
    where not has_prior_session
),

credits as (
    select * from rule_credits
    union all
    select * from markov_credits
),

attribution_models as (
    {% for conversion_type in ['order', 'signup'] %}
    {% for rule in rules %}
    select
        '{{ conversion_type }}' as conversion_type,
        '{{ rule }}' as model
    union all
    {% endfor %}
    {% endfor %}
    select
        'order' as conversion_type,
        'markov' as model
),

report_keys as (
    select
        conversion_type,
        model,
        channel,
        week_start_date
    from credits

    union

    select
        attribution_models.conversion_type,
        attribution_models.model,
        spend.channel,
        spend.week_start_date
    from attribution_models
    cross join spend
),

credits_summed as (
    select
        conversion_type,
        model,
        channel,
        week_start_date,
        sum(credited_conversions) as credited_conversions,
        sum(credited_revenue) as credited_revenue
    from credits
    group by conversion_type, model, channel, week_start_date
),

final as (
    select
        report_keys.conversion_type,
        report_keys.model,
        report_keys.channel,
        report_keys.week_start_date,
        cast(
            coalesce(credits_summed.credited_conversions, 0) as {{ type_double() }}
        ) as credited_conversions,
        cast(coalesce(credits_summed.credited_revenue, 0) as {{ type_double() }}) as credited_revenue,
        cast(coalesce(spend.spend, 0) as {{ dbt.type_numeric() }}) as spend,
        cast(
            {{ safe_divide('coalesce(credits_summed.credited_revenue, 0)', 'spend.spend') }}
            as {{ type_double() }}
        ) as roas,
        cast(
            {{ safe_divide('spend.spend', 'credits_summed.credited_conversions') }}
            as {{ type_double() }}
        ) as cost_per_conversion
    from report_keys
    left join credits_summed
        on
            report_keys.conversion_type = credits_summed.conversion_type
            and report_keys.model = credits_summed.model
            and report_keys.channel = credits_summed.channel
            and report_keys.week_start_date = credits_summed.week_start_date
    left join spend
        on
            report_keys.channel = spend.channel
            and report_keys.week_start_date = spend.week_start_date
)

select * from final
