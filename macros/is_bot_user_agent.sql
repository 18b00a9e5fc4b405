{#-
    True when a user agent matches any row of the bot_user_agent_patterns config seed
    (case-insensitive SQL LIKE patterns, e.g. %bot%). Null user agents are not bots.
-#}
{% macro is_bot_user_agent(user_agent) -%}
    coalesce(
        exists (
            select 1
            from {{ ref('bot_user_agent_patterns') }} as bot_patterns
            where lower({{ user_agent }}) like lower(bot_patterns.user_agent_pattern)
        ),
        false
    )
{%- endmacro %}
