{#-
    Spark only (overrides dbt-spark's macro of the same name, which the Spark incremental
    materialization runs as its main statement): the 'delete+insert' strategy on plain
    Parquet tables; every other strategy is dbt-spark's.

    delete+insert as dbt-core defines it: the stored rows whose unique_key (one column or a
    list) equals a new row's, and for which every incremental_predicates condition holds, are
    deleted; then the new rows are inserted. Here:
    1. the new rows (dbt-spark's temporary view `source`, which may read the table) are
       written to <table>__dbt_new, so that they are computed once, before the table changes;
    2. when a stored row is replaced (an equal key, a null key matching nothing as in
       dbt-core's `in`, and every predicate true), the table is rewritten (spark_rewrite_table)
       with the stored rows not replaced plus the new rows; when none is, the new rows are
       appended;
    3. the main statement drops <table>__dbt_new.
    Exact; a run that replaces rows rewrites the whole table (README "Spark").
-#}
{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) -%}
    {%- if strategy != 'delete+insert' -%}
        {{ return(dbt.dbt_spark_get_incremental_sql(
            strategy, source, target, existing, unique_key, incremental_predicates
        )) }}
    {%- endif -%}
    {%- set keys = [unique_key] if unique_key is string else (unique_key or []) -%}
    {%- set new_rows = target.incorporate(path={'identifier': target.identifier ~ '__dbt_new'}) -%}
    {%- set columns = adapter.get_columns_in_relation(target)
        | map(attribute='quoted') | join(', ') -%}
    {%- do run_query('drop table if exists ' ~ new_rows) -%}
    {%- do run_query(
        'create table ' ~ new_rows ~ ' using parquet as select ' ~ columns ~ ' from ' ~ source
    ) -%}
    {%- set replaced_keys -%}
        (
            select distinct
                {%- for key in keys %}
                {{ key }} as dbt_new_key_{{ loop.index }},
                {%- endfor %}
                true as dbt_is_replaced
            from {{ new_rows }}
        ) as replaced
            on
            {%- for key in keys %}
                {{ 'and ' if not loop.first }}stored.{{ key }} = replaced.dbt_new_key_{{ loop.index }}
            {%- endfor %}
    {%- endset -%}
    {%- set predicates -%}
        replaced.dbt_is_replaced
        {%- for predicate in incremental_predicates or [] %}
        and ({{ predicate }})
        {%- endfor %}
    {%- endset -%}
    {%- set replaced_rows = 0 -%}
    {%- if keys -%}
        {%- set count_replaced -%}
            select count(*)
            from {{ target }} as stored
            inner join {{ replaced_keys }}
            where {{ predicates }}
        {%- endset -%}
        {%- set replaced_rows = run_query(count_replaced).columns[0].values()[0] -%}
    {%- endif -%}
    {%- if replaced_rows > 0 -%}
        {%- set rows -%}
            select stored.*
            from {{ target }} as stored
            left join {{ replaced_keys }}
            where not coalesce({{ predicates }}, false)
            union all
            select {{ columns }} from {{ new_rows }}
        {%- endset -%}
        {%- do spark_rewrite_table(target, rows) -%}
    {%- else -%}
        {%- do run_query(
            'insert into table ' ~ target ~ ' select ' ~ columns ~ ' from ' ~ new_rows
        ) -%}
    {%- endif -%}
    drop table {{ new_rows }}
{%- endmacro %}
