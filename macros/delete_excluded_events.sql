{#-
    Post-hook of fct_events: deletes stored events of users that are now internal.
    Incremental runs recompute every timeline they touch, so this only matters for a timeline
    whose events are now all excluded (its user became internal: an identify with an internal
    email, or the internal_users seed): the recompute produced no row for it, so delete+insert
    left the old ones in place. A stored event's user_key is current (a new identity link
    makes its timeline recomputed), so the internal users' keys find them: a probe of one
    column against a short list, instead of re-keying every event.
-#}
{% macro delete_excluded_events() -%}
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
