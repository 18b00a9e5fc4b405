{#-
    The user_keys whose conversions fct_attribution_touches recomputes: the users
    int_users_changed found changed since the model's last run (their sessions, signups or
    first order may have changed, or they vanished), and the users whose conversions
    int_attribution_conversions rewrote since then (a later order that arrived or changed).
    A conversion's touches depend only on its user's sessions and on the conversion. Read the
    same way by the model and by its pre-hook (delete_user_rows); neither set depends on the
    model's stored rows beyond the last_processed_at mark, rendered before anything is deleted.
-#}
{% macro recomputed_conversion_users() -%}
    {{ changed_users() }}
    union
    select conversions.user_key
    from {{ ref('int_attribution_conversions') }} as conversions
    where conversions.processed_at > {{ last_processed_at() }}
{%- endmacro %}
