{#-
    The timelines (devices, or "user:<user_id>" for server-side calls) with a staged call of
    any kind (track, page, identify, group) that arrived at or after `cutoff` (an SQL
    expression): received_at, or event_at where received_at is null. A track or page adds an
    event to its timeline; any call that carries both ids can re-key a device's history (see
    int_anonymous_ids_linked). Incremental event models recompute these timelines whole.
-#}
{% macro timelines_with_calls_since(cutoff) -%}
    {%- for model in ['stg_segment__tracks', 'stg_segment__pages',
                      'stg_segment__identifies', 'stg_segment__groups'] %}
    select coalesce(anonymous_id, 'user:' || user_id) as timeline_key
    from {{ ref(model) }}
    where coalesce(received_at, event_at) >= {{ cutoff }}
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#-
    A select of the rows of `calls` (a relation with anonymous_id and user_id, such as
    int_events_keyed) on the timelines listed in `timelines` (a relation or CTE with
    timeline_key). Written as two plain semi-joins on the raw id columns, rather than one
    condition on timeline_key or an `or`, so that the engine can push each down to the staged
    calls before it keys them: at 10M events, 0.7 s instead of 1.1 s for a day's timelines.
-#}
{% macro calls_on_timelines(calls, timelines) -%}
    select * from {{ calls }}
    where anonymous_id in (select {{ timelines }}.timeline_key from {{ timelines }})
    union all
    select * from {{ calls }}
    where
        anonymous_id is null
        -- "user:<user_id>": the user_id starts at the 6th character
        and user_id in (
            select substr({{ timelines }}.timeline_key, 6)
            from {{ timelines }}
            where {{ timelines }}.timeline_key like 'user:%'
        )
{%- endmacro %}
