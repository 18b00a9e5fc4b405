{#-
    The SQL of a hook that deletes the stored rows of `relation` (default: the model's table)
    for which `condition` is true. Every delete hook of the incremental models goes through
    here (delete_user_rows, delete_changed_users, delete_unwritten_timelines,
    delete_erased_rows, ...), so that the engines differ in this one place:

    - DuckDB, PostgreSQL: `delete from ... where condition`.
    - Spark: plain Parquet tables have no DELETE (it needs Delta or Iceberg). The table is
      rewritten instead with the rows the delete would keep, those for which `condition` is
      false or null (spark_rewrite_table: staged in a Parquet table first, since Spark does
      not overwrite a table a statement reads), and the hook itself is a no-op select. The
      rows left are exactly what the DELETE leaves; the cost is a rewrite of the whole table
      when a row matches (a delete that matches none writes nothing; README "Spark").
-#}
{% macro delete_rows(condition, relation=none) -%}
    {{ return(adapter.dispatch('delete_rows', 'growth_metrics')(condition, relation or this)) }}
{%- endmacro %}

{% macro default__delete_rows(condition, relation) -%}
    delete from {{ relation }}
    where {{ condition }}
{%- endmacro %}

{% macro spark__delete_rows(condition, relation) -%}
    {%- if execute -%}
        {%- set matched -%}
            select count(*) from {{ relation }}
            where {{ condition }}
        {%- endset -%}
        {%- if run_query(matched).columns[0].values()[0] > 0 -%}
            {%- set kept -%}
                select * from {{ relation }}
                where not coalesce(({{ condition }}), false)
            {%- endset -%}
            {%- do spark_rewrite_table(relation, kept) -%}
        {%- endif -%}
    {%- endif -%}
    select 1
{%- endmacro %}

{#- Databricks (dbt-databricks, Delta tables by default) has DELETE: the plain statement, not
    Spark's rewrite (dispatch would otherwise fall back from databricks__ to spark__). -#}
{% macro databricks__delete_rows(condition, relation) -%}
    {{ default__delete_rows(condition, relation) }}
{%- endmacro %}
