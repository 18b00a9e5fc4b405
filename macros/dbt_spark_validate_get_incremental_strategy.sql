{#-
    Spark only (overrides dbt-spark's macro of the same name, which the Spark incremental
    materialization calls): accepts 'delete+insert' besides dbt-spark's strategies, so that
    the incremental models keep one config on every engine. dbt-spark has no delete+insert
    (plain Parquet has no DELETE); ours rewrites the table, see dbt_spark_get_incremental_sql.
-#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {%- if raw_strategy == 'delete+insert' -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {{ return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{%- endmacro %}
