{#-
    The timelines (devices, or "user:<user_id>" for server-side calls) with a usable call of
    any kind (track, page, identify, group) that a Segment base model staged after `marker` (an
    SQL timestamp; see last_processed_at): a new call, or a copy whose delivery number changed,
    whatever its number now, since a kept copy that another displaced changes its timeline too.
    A track or page adds an event to its timeline; any call that carries both ids can re-key a
    device's history (see int_anonymous_ids_linked). Incremental event models recompute these
    timelines whole.
-#}
{% macro timelines_with_calls_staged_since(marker) -%}
    {%- for model in ['base_segment__tracks', 'base_segment__pages',
                      'base_segment__identifies', 'base_segment__groups'] %}
    select coalesce(anonymous_id, 'user:' || user_id) as timeline_key
    from {{ ref(model) }}
    where staged_at > {{ marker }} and quarantine_reason is null
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
