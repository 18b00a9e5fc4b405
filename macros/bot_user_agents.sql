{#-
    The distinct user agents of `rows` (a relation or CTE with a user_agent column) that the
    bot_user_agent_patterns seed flags (see is_bot_user_agent). A base model left-joins its rows
    to these instead of matching every row's agent against every pattern: user agents repeat,
    so there are a few thousand to match instead of millions.
-#}
{% macro bot_user_agents(rows) -%}
    select user_agents.user_agent
    from (select distinct user_agent from {{ rows }}) as user_agents
    where {{ is_bot_user_agent('user_agents.user_agent') }}
{%- endmacro %}
