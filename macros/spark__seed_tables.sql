{#-
    dbt-spark's seed macros, replaced for two reasons (Spark only: the other engines use dbt's
    seed macros untouched). The project's macros come before the adapter's in dbt's search.
    - Column types: each seed's `column_types` is translated to Spark's type names by
      engine_data_type (the YAML uses the names DuckDB and PostgreSQL share).
    - Values: dbt-spark binds a seed's values into its insert by pasting each between quotes,
      and the session connection method does so without escaping and with Python's `None` for
      an empty cell, so a quote in a cell breaks the insert and a null loads as 'None'. Here
      every value is written as a literal: null, true/false, numbers as they are, anything
      else quoted with Spark's escapes (backslash, then quote). Each is cast to its column's
      type, as dbt-spark does.
-#}
{% macro spark__create_csv_table(model, agate_table) -%}
    {{ return(dbt.spark__create_csv_table(spark_typed_seed(model), agate_table)) }}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_types = spark_typed_seed(model)['config']['column_types'] -%}
    {%- set types = [] -%}
    {%- for column in agate_table.column_names -%}
        {%- do types.append(
            column_types.get(column, adapter.convert_type(agate_table, loop.index0))
        ) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                    {%- for value in row -%}
                        cast({{ spark_seed_literal(value) }} as {{ types[loop.index0] }})
                        {%- if not loop.last %}, {% endif -%}
                    {%- endfor -%}
                ){%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) -%}
    {%- endfor -%}
    {#- The SQL of the first batch goes into the compiled files, as dbt does. -#}
    {{ return(statements[0] if statements else '') }}
{%- endmacro %}

{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- elif value is string -%}
        '{{ value | replace('\\', '\\\\') | replace("'", "\\'") }}'
    {%- else -%}
        '{{ value.isoformat() }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark_typed_seed(model) -%}
    {%- set column_types = {} -%}
    {%- for column, column_type in (model['config'].get('column_types') or {}).items() -%}
        {%- do column_types.update({column: engine_data_type(column_type)}) -%}
    {%- endfor -%}
    {{ return(dict(model, config=dict(model['config'], column_types=column_types))) }}
{%- endmacro %}
