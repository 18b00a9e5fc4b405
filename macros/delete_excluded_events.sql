{#-
    Post-hook of fct_events: deletes stored events that the exclusion rule now excludes.
    Incremental runs recompute every timeline they touch, so this only matters for a timeline
    whose events are now all excluded (its user became internal): the recompute produced no
    row for it, so delete+insert left the old ones in place.
-#}
{% macro delete_excluded_events() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where event_id in (
            select event_id from {{ ref('int_events_keyed') }}
            where is_internal
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
