{#-
    The timelines (timeline_key) that int_timelines_changed found changed since the calling
    incremental model's last run (see last_processed_at): the ones it recomputes whole. Read
    the same way by the model and by its post-hook (delete_unwritten_timelines), since
    last_processed_at leaves the current run's rows out.

    Also the timelines of identities erased since then (stg_privacy__erased_identities: an
    anonymous_id is its device's timeline, a user_id its server-side "user:" one), which
    int_timelines_changed no longer lists: recomputed, they have no row left, and the
    post-hook deletes what the model had stored of them. A model calling this declares
    `-- depends_on: {{ ref('stg_privacy__erased_identities') }}`.
-#}
{% macro changed_timelines() -%}
    {%- set processed_after = last_processed_at() %}
    select changed.timeline_key
    from {{ ref('int_timelines_changed') }} as changed
    where changed.processed_at > {{ processed_after }}
    union
    select
        case
            when erased.identity_type = 'user_id' then 'user:' || erased.identity
            else erased.identity
        end as timeline_key
    from {{ ref('stg_privacy__erased_identities') }} as erased
    where erased.erased_at > {{ processed_after }}
{%- endmacro %}
