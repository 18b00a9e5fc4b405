{#-
    The columns that every raw table the project reads (raw_tables_read) has now, read from
    the warehouse with adapter.get_columns_in_relation, as SQL literals (quotes escaped).
    Returns {'source_tables': every '<source>.<table>' of the registry, 'missing_tables':
    those that do not exist now (they have no columns), 'rows': one row literal per column,
    ('<source>.<table>', '<column name>', '<data type>'), for a values list}. The data type
    is the warehouse's name for it, lowercased, with the length of a string or the precision
    and scale of a decimal when it has them (text, varchar, character varying(100),
    decimal(12,2), numeric(12,2), ...).
    While dbt parses: no rows and nothing missing.
-#}
{% macro raw_column_snapshot() -%}
    {%- set tables = raw_tables_read() -%}
    {%- set snapshot = {'source_tables': [], 'missing_tables': [], 'rows': []} -%}
    {%- for t in tables -%}
        {%- do snapshot.source_tables.append(raw_column_snapshot_literal(t.source_table)) -%}
    {%- endfor -%}
    {%- if not execute -%}
        {{ return(snapshot) }}
    {%- endif -%}
    {%- for t in tables -%}
        {%- if t.relation is none -%}
            {%- do snapshot.missing_tables.append(raw_column_snapshot_literal(t.source_table)) -%}
        {%- else -%}
            {%- for column in adapter.get_columns_in_relation(t.relation) -%}
                {%- set quoted = [] -%}
                {#- dbt's data_type calls a string without length character varying(256) -#}
                {%- if column.is_string() and column.char_size is none -%}
                    {%- set data_type = column.dtype | lower -%}
                {%- else -%}
                    {%- set data_type = column.data_type | lower -%}
                {%- endif -%}
                {%- for value in [t.source_table, column.name, data_type] -%}
                    {%- do quoted.append(raw_column_snapshot_literal(value)) -%}
                {%- endfor -%}
                {%- do snapshot.rows.append('(' ~ quoted | join(', ') ~ ')') -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(snapshot) }}
{%- endmacro %}

{#- A text value as an SQL string literal. -#}
{% macro raw_column_snapshot_literal(value) -%}
    {{ return("'" ~ (value | replace("'", "''")) ~ "'") }}
{%- endmacro %}
