{#-
    One row per date (of the session start, in var('reporting_timezone')), region and landing
    page group with at least one session: visitors (distinct users), sessions and new visitors
    (users whose first session ever is one of these).
-#}
with sessions as (
    select * from {{ ref('fct_sessions') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

page_groups as (
    select * from {{ ref('landing_page_groups') }}
),

landing_paths as (
    select distinct landing_page_path
    from sessions
    where landing_page_path is not null
),

matched_groups as (
    select
        landing_paths.landing_page_path,
        page_groups.landing_page_group,
        row_number() over (
            partition by landing_paths.landing_page_path
            order by page_groups.rule_number
        ) as match_rank
    from landing_paths
    inner join page_groups
        on {{ regexp_like('landing_paths.landing_page_path', 'page_groups.path_regex') }}
),

ranked_sessions as (
    select
        user_key,
        landing_page_path,
        started_date,
        row_number() over (partition by user_key order by started_at, session_id)
            as user_session_number
    from sessions
),

grouped as (
    select
        ranked_sessions.started_date,
        coalesce(users.region, 'unknown') as region,
        case
            when ranked_sessions.landing_page_path is null then 'unknown'
            else coalesce(matched_groups.landing_page_group, 'other')
        end as landing_page_group,
        ranked_sessions.user_key,
        ranked_sessions.user_session_number
    from ranked_sessions
    left join matched_groups
        on
            ranked_sessions.landing_page_path = matched_groups.landing_page_path
            and matched_groups.match_rank = 1
    left join users
        on ranked_sessions.user_key = users.user_key
),

final as (
    select
        started_date as visit_date,
        region,
        landing_page_group,
        cast(count(distinct user_key) as {{ dbt.type_bigint() }}) as visitors,
        cast(count(*) as {{ dbt.type_bigint() }}) as sessions,
        cast(
            sum(case when user_session_number = 1 then 1 else 0 end) as {{ dbt.type_bigint() }}
        ) as new_visitors
    from grouped
    group by started_date, region, landing_page_group
)

select * from final
