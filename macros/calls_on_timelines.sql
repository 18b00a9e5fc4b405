{#-
    A where-clause condition: the call (of a staged Segment call table, read without an alias)
    is on one of the timelines in `timelines` (a relation or CTE with timeline_key): its device,
    or "user:<user_id>" for a call without one. Written as `in` lists on the raw id columns,
    which DuckDB probes against a hash of the short list whatever its row estimates (as one
    semi-join on the timeline key it sometimes hashed the whole call table instead; see
    keyed_events).
-#}
{% macro calls_on_timelines(timelines) -%}
    anonymous_id in (select {{ timelines }}.timeline_key from {{ timelines }})
        or (
            anonymous_id is null
            -- "user:<user_id>": the user_id starts at the 6th character
            and user_id in (
                select substr({{ timelines }}.timeline_key, 6)
                from {{ timelines }}
                where {{ timelines }}.timeline_key like 'user:%'
            )
        )
{%- endmacro %}
