{#-
    Pre-hook of the incremental per-user marts: before the model writes, deletes the stored
    rows of the users it recomputes (delete_user_rows of changed_users; `key_column` holds the
    user_key), so that a user who vanished or left the model's population keeps no row. With
    `recompute_all` (see as_of_moved: the date the model's rows are taken as of moved), it
    deletes every row and the model recomputes every user. Rendered before anything is
    deleted, like the model itself, so both read the same stored marks.
-#}
{% macro delete_changed_users(key_column='user_key', recompute_all=false) -%}
    {%- if is_incremental() and recompute_all -%}
        {{ delete_rows('true') }}
    {%- else -%}
        {{ delete_user_rows(changed_users(), key_column) }}
    {%- endif -%}
{%- endmacro %}
