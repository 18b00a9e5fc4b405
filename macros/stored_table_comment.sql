{#- The comment stored on a table: its text, or none when it has none. -#}
{% macro stored_table_comment(relation) -%}
    {{ return(adapter.dispatch('stored_table_comment', 'growth_metrics')(relation)) }}
{%- endmacro %}

{% macro default__stored_table_comment(relation) -%}
    {%- set stored = run_query(stored_table_comment_query(relation)).columns[0].values() -%}
    {{ return(stored[0] if stored else none) }}
{%- endmacro %}

{#- Spark has no catalog table to select it from: it is the Comment row of the table's
    detailed information (after the columns). -#}
{% macro spark__stored_table_comment(relation) -%}
    {%- set described = run_query('describe table extended ' ~ relation) -%}
    {%- set details = namespace(started=false, comment=none) -%}
    {%- for row in described.rows -%}
        {%- if row[0] == '# Detailed Table Information' -%}
            {%- set details.started = true -%}
        {%- elif details.started and row[0] == 'Comment' -%}
            {%- set details.comment = row[1] -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(details.comment) }}
{%- endmacro %}

{#- A query for the comment stored on a table (one row; null when it has none). -#}
{% macro stored_table_comment_query(relation) -%}
    {{ return(adapter.dispatch('stored_table_comment_query', 'growth_metrics')(relation)) }}
{%- endmacro %}

{% macro default__stored_table_comment_query(relation) -%}
    select obj_description(
        to_regclass('{{ adapter.quote(relation.schema) }}.{{ adapter.quote(relation.identifier) }}'),
        'pg_class'
    )
{%- endmacro %}

{% macro duckdb__stored_table_comment_query(relation) -%}
    select max(comment)
    from duckdb_tables()
    where
        database_name = '{{ relation.database }}'
        and schema_name = '{{ relation.schema }}'
        and table_name = '{{ relation.identifier }}'
{%- endmacro %}
