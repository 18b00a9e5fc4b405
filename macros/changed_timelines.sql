{#-
    The timelines (timeline_key) that int_timelines_changed found changed since the calling
    incremental model's last run (see last_processed_at): the ones it recomputes whole. Read
    the same way by the model and by its post-hook (delete_unwritten_timelines), since
    last_processed_at leaves the current run's rows out.
-#}
{% macro changed_timelines() -%}
    select changed.timeline_key
    from {{ ref('int_timelines_changed') }} as changed
    where changed.processed_at > {{ last_processed_at() }}
{%- endmacro %}
