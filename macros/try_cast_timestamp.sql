{#-
    Casts a raw time value to a UTC timestamp without time zone.
    - `data_type` (optional, from raw_columns) says how the warehouse delivers the
      column. A timestamp is taken as UTC already; a timestamp with time zone is converted to
      UTC. Both are cast directly, which is much cheaper than parsing text.
    - Text (or an unknown type) must be ISO 8601 / SQL style: 2024-03-01, 2024-03-01 10:00:00,
      2024-03-01T10:00:00.123Z, 2024-03-01 12:00:00+02:00. Values with an offset are converted
      to UTC; values without one are taken as UTC. Anything else (garbage text, impossible
      dates such as 2024-02-30, words that engines would accept such as 'yesterday' or
      'epoch') gives null instead of failing the build.
-#}
{% macro try_cast_timestamp(expression, data_type=none) -%}
    {%- set data_type = (data_type or '') | lower -%}
    {%- if 'with time zone' in data_type or data_type == 'timestamptz' -%}
        {{ return(adapter.dispatch('timestamptz_to_utc', 'growth_metrics')(expression)) }}
    {%- elif data_type.startswith('timestamp') or data_type in ('datetime', 'date') -%}
        {{ return('cast(' ~ expression ~ ' as ' ~ dbt.type_timestamp() ~ ')') }}
    {%- else -%}
        {{ return(adapter.dispatch('try_cast_timestamp', 'growth_metrics')(expression)) }}
    {%- endif -%}
{%- endmacro %}

{#- The text forms accepted; the time zone offset, when present, is the last group. -#}
{% macro iso_timestamp_pattern() -%}
    ^\s*\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d(\.\d+)?)?)?\s*(Z|[+-]\d\d(:?\d\d)?)?\s*$
{%- endmacro %}

{% macro default__try_cast_timestamp(expression) -%}
    try_cast({{ expression }} as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__try_cast_timestamp(expression) -%}
    {%- set text = 'trim(cast(' ~ expression ~ ' as varchar))' -%}
    case
        when not regexp_full_match({{ text }}, '{{ iso_timestamp_pattern() }}') then null
        when
            regexp_matches({{ text }}, '(Z|[+-]\d\d(:?\d\d)?)\s*$')
            and regexp_matches({{ text }}, '\d:\d\d')
            then timezone('UTC', try_cast({{ text }} as timestamptz))
        else try_cast({{ text }} as timestamp)
    end
{%- endmacro %}

{#- Spark's cast reads words ('yesterday', 'epoch') and partial dates ('2024', '2024-3-1'),
    so the text must first match the pattern, as on DuckDB; offsets are honoured and naive
    values are UTC (the session time zone, profiles.yml). -#}
{% macro spark__try_cast_timestamp(expression) -%}
    {%- set text = 'trim(cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    case
        when {{ regexp_like(text, regex_literal(iso_timestamp_pattern())) }}
            then try_cast({{ text }} as {{ dbt.type_timestamp() }})
    end
{%- endmacro %}

{#- Postgres has no try_cast: create_udfs() installs a plpgsql function that returns null on
    a cast error; it runs with TimeZone = UTC, so offsets are honoured and naive values are UTC. -#}
{% macro postgres__try_cast_timestamp(expression) -%}
    {{ target.schema }}.growth_try_cast_timestamp(cast({{ expression }} as text))
{%- endmacro %}

{% macro default__timestamptz_to_utc(expression) -%}
    cast({{ expression }} at time zone 'UTC' as {{ dbt.type_timestamp() }})
{%- endmacro %}

{% macro duckdb__timestamptz_to_utc(expression) -%}
    timezone('UTC', {{ expression }})
{%- endmacro %}
