{#-
    The user_keys an incremental run of dim_users recomputes: those whose row may have changed
    since its last run (see last_processed_at). A row depends on the user's per-device event
    summaries, sessions, identifies, group calls and orders, and on the internal users:

    - every user_key of a timeline int_user_timelines recomputed, and the timeline itself: an
      anonymous visitor's key is its device, which goes when the device is linked to a user;
    - the users of the identifies and group calls on those devices: a link that arrives late
      and is earlier than the device's first one moves the device's anonymous history away
      from the user it was linked to (whose own page and track calls are in the first set);
    - the users of identifies and group calls staged since (traits, account, internal email);
    - the user_key of every session fct_sessions rewrote since (acquisition channel);
    - internal users not stored as internal, and users whose first completed order differs
      from the stored one (orders are few: summed up whole and compared);
    - every user, when an identity was erased since (stg_privacy__erased_identities; rare):
      the erased person's keys (a user_id, or an erased device as an anonymous visitor) have
      no row left, and another person's row may have changed too (their calls on a device
      linked to the erased person go with it), which no stored row says any more.

    Run again by the post-hook (delete_vanished_users) after the insert, the same list finds
    the keys that now have no row: last_processed_at() leaves this run's rows out, and the
    comparisons with stored rows find nothing new then.
-#}
{% macro users_to_recompute() -%}
    {%- set processed_after = last_processed_at() %}
    {%- set recomputed_timelines -%}
        select changed.timeline_key
        from {{ ref('int_user_timelines') }} as changed
        where changed.processed_at > {{ processed_after }}
    {%- endset %}
    select user_timelines.user_key
    from {{ ref('int_user_timelines') }} as user_timelines
    where user_timelines.processed_at > {{ processed_after }}
    union
    {{ recomputed_timelines }}
    union
    select stored.user_key
    from {{ this }} as stored
    where exists (
        select 1
        from {{ ref('stg_privacy__erased_identities') }} as erased
        where erased.erased_at > {{ processed_after }}
    )
    {%- for model in ['stg_segment__identifies', 'stg_segment__groups'] %}
    union
    select calls.user_id
    from {{ ref(model) }} as calls
    where calls.user_id is not null and calls.anonymous_id in ({{ recomputed_timelines }})
    {%- endfor %}
    {%- for model in ['base_segment__identifies', 'base_segment__groups'] %}
    union
    select staged.user_id
    from {{ ref(model) }} as staged
    where
        staged.user_id is not null
        and staged.quarantine_reason is null
        and staged.staged_at > {{ processed_after }}
    {%- endfor %}
    union
    select sessions.user_key
    from {{ ref('fct_sessions') }} as sessions
    where sessions.processed_at > {{ processed_after }}
    union
    select internal_users.user_id
    from {{ ref('int_users_flagged_internal') }} as internal_users
    where internal_users.user_id not in (
        select stored.user_key from {{ this }} as stored where stored.is_internal
    )
    union
    select order_users.user_key
    from (
        select
            orders.user_id as user_key,
            min(case when orders.is_completed then orders.ordered_at end) as first_order_at
        from {{ ref('stg_shop__orders') }} as orders
        group by orders.user_id
    ) as order_users
    left join {{ this }} as stored
        on order_users.user_key = stored.user_key
    where
        stored.user_key is null
        or stored.first_order_at is distinct from order_users.first_order_at
{%- endmacro %}

{#-
    Post-hook of dim_users: deletes the stored rows of users to recompute for which the run
    wrote no row (their last event moved to another user_key: a device linked to a user, or
    re-linked to an earlier one). delete+insert replaces only the keys it inserts.
-#}
{% macro delete_vanished_users() -%}
    {%- if is_incremental() -%}
        {%- set condition -%}
            processed_at < {{ run_timestamp() }}
            and user_key in ({{ users_to_recompute() }})
        {%- endset -%}
        {{ delete_rows(condition) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
