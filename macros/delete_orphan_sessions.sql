{#-
    Post-hook of fct_sessions: drops stored sessions whose events fct_events' post-hook deleted
    (see delete_excluded_events): the sessions of users that are now internal. Every other
    device whose events changed is recomputed whole, and delete+insert on anonymous_id replaces
    its sessions. A session's user_key is its first kept event's, never an internal user's
    when the session was built, so the internal users' keys find exactly the stale ones.
-#}
{% macro delete_orphan_sessions() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where user_key in (
            select internal_users.user_id
            from {{ ref('int_users_flagged_internal') }} as internal_users
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
