{#-
    A hash of a whole raw row (the listed columns): identical rows share it, and it is the last,
    stable tie-break between copies. DuckDB uses its fast 64-bit hash() over the values (an
    MD5 of 20 columns cast to text costs seconds per million rows there); other engines the MD5
    surrogate key. Values differ between engines, never between runs on one engine.
-#}
{% macro row_fingerprint(columns) -%}
    {{ return(adapter.dispatch('row_fingerprint', 'growth_metrics')(columns)) }}
{%- endmacro %}

{% macro default__row_fingerprint(columns) -%}
    {{ surrogate_key(columns) }}
{%- endmacro %}

{% macro duckdb__row_fingerprint(columns) -%}
    cast(hash({{ columns | join(', ') }}) as varchar)
{%- endmacro %}
