{#-
    The body of agg_engagement_pyramid_weekly and agg_engagement_pyramid_monthly: one row per
    period of `period_grain` ('week' or 'month') with a row in int_user_engagement_periods and
    per level of the pyramid below, with the persons at that level. Levels nest by
    construction: a person is at level k when the conditions of levels 2..k all hold, so each
    level is a subset of the one above. `period_column` names the period's first day in the
    output.
-#}
{% macro engagement_pyramid(period_grain, period_column) -%}
{#- The levels, top of the funnel first: each list entry is a level's name and the condition
    (a column of `flagged` below) that a person of the level above must also meet. -#}
{%- set levels = [
    ('visitors', 'true'),
    ('returning_visitors', 'is_returning'),
    ('signed_up', 'is_signed_up'),
    ('engaged', 'is_engaged'),
    ('contributors', 'is_contributor'),
] %}
{%- set period_end = 'cast(' ~ dbt.dateadd(period_grain, 1, 'user_periods.period_start')
    ~ ' as date)' %}

with engagement_periods as (
    select * from {{ ref('int_user_engagement_periods') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

events as (
    select * from {{ ref('fct_events') }}
),

data_end as (
    select max(event_date) as last_event_date
    from events
),

user_periods as (
    select
        user_key,
        period_start,
        is_engaged,
        min(period_start) over (partition by user_key) as first_period_start
    from engagement_periods
    where period_grain = '{{ period_grain }}'
),

-- event_date is in the reporting time zone, like the periods of int_user_engagement_periods
contributor_periods as (
    select
        user_key,
        cast({{ dbt.date_trunc(period_grain, 'event_date') }} as date) as period_start
    from events
    where
        {{ event_matches(
            'events', var('contributor_event_names'), 'contributor_event_names',
            empty_means_any=false
        ) }}
    group by user_key, cast({{ dbt.date_trunc(period_grain, 'event_date') }} as date)
),

flagged as (
    select
        user_periods.user_key,
        user_periods.period_start,
        user_periods.period_start > user_periods.first_period_start as is_returning,
        coalesce(users.signed_up_date < {{ period_end }}, false) as is_signed_up,
        user_periods.is_engaged,
        contributor_periods.user_key is not null as is_contributor
    from user_periods
    left join users
        on user_periods.user_key = users.user_key
    left join contributor_periods
        on
            user_periods.user_key = contributor_periods.user_key
            and user_periods.period_start = contributor_periods.period_start
),

-- the deepest level each person reaches in the period: the first condition that fails stops
leveled as (
    select
        period_start,
        case
            {%- for name, condition in levels[1:] %}
            when not {{ condition }} then {{ loop.index }}
            {%- endfor %}
            else {{ levels | length }}
        end as level_reached
    from flagged
),

level_counts as (
    select
        period_start,
        level_reached,
        count(*) as persons
    from leveled
    group by period_start, level_reached
),

levels as (
    {%- for name, condition in levels %}
    select
        {{ loop.index }} as level_number,
        '{{ name }}' as level_name
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}
),

per_level as (
    select
        level_counts.period_start,
        levels.level_number,
        levels.level_name,
        sum(
            case when level_counts.level_reached >= levels.level_number then level_counts.persons else 0 end
        ) as persons
    from level_counts
    cross join levels
    group by level_counts.period_start, levels.level_number, levels.level_name
),

compared as (
    select
        period_start,
        level_number,
        level_name,
        persons,
        max(persons) over (partition by period_start) as visitors,
        lag(persons) over (partition by period_start order by level_number) as persons_above
    from per_level
),

final as (
    select
        compared.period_start as {{ period_column }},
        cast(compared.level_number as {{ dbt.type_bigint() }}) as level_number,
        compared.level_name,
        cast(compared.persons as {{ dbt.type_bigint() }}) as persons,
        {{ safe_divide('cast(compared.persons as ' ~ type_double() ~ ')', 'compared.visitors') }}
            as share_of_visitors,
        {{ safe_divide('cast(compared.persons as ' ~ type_double() ~ ')', 'compared.persons_above') }}
            as share_of_level_above,
        data_end.last_event_date < cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd(period_grain, 1, 'compared.period_start')) }}
            as date
        ) as is_partial_{{ period_grain }}
    from compared
    cross join data_end
)

select * from final
{%- endmacro %}
