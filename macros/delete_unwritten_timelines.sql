{#-
    Post-hook of the incremental models that recompute whole timelines (fct_events,
    int_user_timelines, fct_sessions, fct_event_properties, fct_tracking_plan_violations):
    deletes the stored rows of a changed timeline (see changed_timelines) that this run did not
    write again. delete+insert replaces only the
    keys it inserts, so a timeline whose recomputed rows are all excluded (its events now
    belong to an internal user: a device's first link naming one, or a user added to the
    internal_users seed) would keep its old rows. `key_column` holds the timeline's key in the
    model: timeline_key, or anonymous_id for sessions. A run that recomputed every timeline
    (`recompute_all`: its definitions changed) deletes every row it did not write.
-#}
{% macro delete_unwritten_timelines(key_column='timeline_key', recompute_all=false) -%}
    {%- if is_incremental() and recompute_all -%}
        {{ delete_rows('processed_at < ' ~ run_timestamp()) }}
    {%- elif is_incremental() -%}
        {%- set condition -%}
            processed_at < {{ run_timestamp() }}
            and {{ key_column }} in ({{ changed_timelines() }})
        {%- endset -%}
        {{ delete_rows(condition) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
