{#-
    Pre-hook of an incremental per-user model that recomputes the users `users_query` lists
    (a query of user_keys, e.g. changed_conversion_users()): before the model writes, deletes
    their stored rows (`key_column` holds the user_key), so that a user who vanished or has no
    row left keeps none. delete_changed_users is this with changed_users().
-#}
{% macro delete_user_rows(users_query, key_column='user_key') -%}
    {%- if is_incremental() -%}
        {{ delete_rows(key_column ~ ' in (' ~ users_query ~ ')') }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
