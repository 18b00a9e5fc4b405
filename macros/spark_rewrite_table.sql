{#-
    Spark only: replaces every row of the Parquet table `relation` with the rows of the query
    `rows` (which may read the table itself), keeping the table, its columns and its comment.
    Spark refuses to overwrite a table that the same statement reads, so the rows are first
    written to a staging table (<table>__dbt_stage), then copied over with `insert overwrite`
    (columns by name, in the table's order), and the staging table is dropped. Used where the
    other engines DELETE (delete_rows, the delete+insert strategy: see
    dbt_spark_get_incremental_sql).
-#}
{% macro spark_rewrite_table(relation, rows) -%}
    {%- set stage = relation.incorporate(path={'identifier': relation.identifier ~ '__dbt_stage'}) -%}
    {%- set columns = adapter.get_columns_in_relation(relation)
        | map(attribute='quoted') | join(', ') -%}
    {%- do run_query('drop table if exists ' ~ stage) -%}
    {%- do run_query('create table ' ~ stage ~ ' using parquet as ' ~ rows) -%}
    {%- do run_query(
        'insert overwrite table ' ~ relation ~ ' select ' ~ columns ~ ' from ' ~ stage
    ) -%}
    {%- do run_query('drop table ' ~ stage) -%}
{%- endmacro %}
