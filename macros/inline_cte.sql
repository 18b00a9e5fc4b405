{#-
    Written after a CTE's `as` (`typed as {{ inline_cte() }} (`): asks the engine to inline the
    CTE into each query that reads it rather than to store its rows first. A full build of a
    Segment base model or of fct_events reads its wide rows twice (the rows, and a narrow
    projection to number copies or sessions, joined back; see numbered_copies); stored first,
    they cost DuckDB more than the narrow numbering saves. An
    incremental run reads only the rows it reprocesses, which are cheap to store, while inlining
    would evaluate its filter (a scan of the raw table) once per read: there it is left out.
    Engines without the syntax decide for themselves.
-#}
{% macro inline_cte() -%}
    {%- if not is_incremental() -%}
        {{ return(adapter.dispatch('inline_cte', 'growth_metrics')()) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__inline_cte() -%}
{%- endmacro %}

{% macro duckdb__inline_cte() -%}
    not materialized
{%- endmacro %}

{% macro postgres__inline_cte() -%}
    not materialized
{%- endmacro %}
