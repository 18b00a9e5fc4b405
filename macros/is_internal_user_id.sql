{#- True when a user id is listed in the internal_users config seed. -#}
{% macro is_internal_user_id(user_id) -%}
    coalesce(
        {{ user_id }} in (select internal_users.user_id from {{ ref('internal_users') }} as internal_users),
        false
    )
{%- endmacro %}
