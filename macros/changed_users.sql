{#-
    The user_keys that int_users_changed found changed or vanished since the calling
    incremental model's last run (see last_processed_at): the ones it recomputes whole. Read
    the same way by the model and by its pre-hook (delete_changed_users), which runs before
    the model writes.

    Also the identities erased since then (stg_privacy__erased_identities: a user_id, or a
    device's anonymous_id, a visitor's user_key), whose rows int_users_changed deletes: the
    model has none left of them once recomputed. A model calling this declares
    `-- depends_on: {{ ref('int_users_changed') }}` and
    `-- depends_on: {{ ref('stg_privacy__erased_identities') }}`.
-#}
{% macro changed_users() -%}
    {%- set processed_after = last_processed_at() %}
    select changed.user_key
    from {{ ref('int_users_changed') }} as changed
    where changed.processed_at > {{ processed_after }}
    union
    select erased.identity as user_key
    from {{ ref('stg_privacy__erased_identities') }} as erased
    where erased.erased_at > {{ processed_after }}
{%- endmacro %}
