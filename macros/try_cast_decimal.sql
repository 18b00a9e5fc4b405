{#-
    Parses a raw number to dbt.type_numeric() (numeric(28,6): 22 digits before the point, 6
    after, rounded half away from zero), or null: never a failed build, and the same value on
    every engine, whatever type the warehouse stores the column in (text, integer, numeric,
    double: all are read through their text form, which both engines write alike).

    Accepted text, after trimming spaces: an optional sign, digits with an optional decimal
    point, and an optional exponent of at most three digits (12, -0.5, .5, 5., 1e5, 1.5E-3).
    Null for anything else: blank, words, NaN and ±Infinity, thousands separators, hex,
    an exponent after more than 26 digits (engines disagree there), and values too large for
    the type. number_quarantine_reason says which of these a value is.
-#}
{% macro try_cast_decimal(expression) -%}
    {%- set text = raw_number_text(expression) -%}
    case
        when
            {{ regexp_like(text, regex_literal(decimal_text_pattern())) }}
            and not {{ regexp_like(text, regex_literal(long_mantissa_pattern())) }}
            then {{ adapter.dispatch('try_cast_decimal', 'growth_metrics')(text) }}
    end
{%- endmacro %}

{#- The value's text form, trimmed (blank is null). -#}
{% macro raw_number_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#- The text forms of a decimal number that every engine reads the same. -#}
{% macro decimal_text_pattern() -%}
    ^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?$
{%- endmacro %}

{#- More than 26 digits (and a point) before an exponent: DuckDB fails some that PostgreSQL
    reads, so neither does. -#}
{% macro long_mantissa_pattern() -%}
    ^[+-]?[0-9.]{28,}[eE]
{%- endmacro %}

{#- Text written as not-a-number or an infinity, as the engines print them for a double or a
    numeric (nan, NaN, inf, -Infinity, ...), compared lowercased. -#}
{% macro non_finite_text_pattern() -%}
    ^[+-]?(nan|inf|infinity)$
{%- endmacro %}

{#- `text` already matches decimal_text_pattern. DuckDB parses some values that fit the type
    only through a wider decimal; the bound is checked there. -#}
{% macro default__try_cast_decimal(text) -%}
    try_cast({{ text }} as {{ dbt.type_numeric() }})
{%- endmacro %}

{% macro duckdb__try_cast_decimal(text) -%}
    case
        when
            abs(try_cast({{ text }} as decimal(38, 6)))
            <= cast('9999999999999999999999.999999' as decimal(38, 6))
            then cast(try_cast({{ text }} as decimal(38, 6)) as {{ dbt.type_numeric() }})
    end
{%- endmacro %}

{#- Postgres has no try_cast: create_udfs() installs growth_try_cast_numeric, which returns
    null on a cast error (a value too large for the type). -#}
{% macro postgres__try_cast_decimal(text) -%}
    cast({{ target.schema }}.growth_try_cast_numeric({{ text }}) as {{ dbt.type_numeric() }})
{%- endmacro %}
