-- The engagement pyramid nests: in every period of both grains, each level holds no more
-- persons than the level above, and every period has its five levels. Returns each period
-- and level where either fails.
{%- set pyramids = [
    ('agg_engagement_pyramid_weekly', 'week_start'),
    ('agg_engagement_pyramid_monthly', 'month_start'),
] %}

with pyramid_rows as (
    {%- for model, period_column in pyramids %}
    select
        '{{ model }}' as model_name,
        {{ period_column }} as period_start,
        level_number,
        persons
    from {{ ref(model) }}
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}
),

compared as (
    select
        model_name,
        period_start,
        level_number,
        persons,
        lag(persons) over (
            partition by model_name, period_start order by level_number
        ) as persons_above,
        count(*) over (partition by model_name, period_start) as levels_in_period
    from pyramid_rows
),

final as (
    select * from compared
    where persons > persons_above or levels_in_period != 5
)

select * from final
