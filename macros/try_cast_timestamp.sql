{#-
    Casts a raw time value (a timestamp, a timestamptz or text as a warehouse may deliver it) to a
    UTC timestamp without time zone. Text must be ISO 8601 / SQL style: 2024-03-01,
    2024-03-01 10:00:00, 2024-03-01T10:00:00.123Z, 2024-03-01 12:00:00+02:00. Values with an
    offset are converted to UTC; values without one are taken as UTC already. Anything else
    (garbage text, impossible dates such as 2024-02-30, words that engines would accept such
    as 'yesterday' or 'epoch') gives null instead of failing the build.
-#}
{% macro try_cast_timestamp(expression) -%}
    {{ return(adapter.dispatch('try_cast_timestamp', 'growth_metrics')(expression)) }}
{%- endmacro %}

{#- The text forms accepted; the time zone offset, when present, is the last group. -#}
{% macro iso_timestamp_pattern() -%}
    ^\s*\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d(\.\d+)?)?)?\s*(Z|[+-]\d\d(:?\d\d)?)?\s*$
{%- endmacro %}

{% macro default__try_cast_timestamp(expression) -%}
    try_cast({{ expression }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__try_cast_timestamp(expression) -%}
    {%- set text = 'cast(' ~ expression ~ ' as varchar)' -%}
    case
        when not regexp_full_match({{ text }}, '{{ iso_timestamp_pattern() }}') then null
        when regexp_matches({{ text }}, '(Z|[+-]\d\d(:?\d\d)?)\s*$')
            and regexp_matches({{ text }}, '\d:\d\d')
            then timezone('UTC', try_cast({{ text }} as timestamptz))
        else try_cast({{ text }} as timestamp)
    end
{%- endmacro %}

{#- Postgres has no try_cast: create_udfs() installs a plpgsql function that returns null on
    a cast error; it runs with TimeZone = UTC, so offsets are honoured and naive values are UTC. -#}
{% macro postgres__try_cast_timestamp(expression) -%}
    {{ target.schema }}.growth_try_cast_timestamp(cast({{ expression }} as text))
{%- endmacro %}
