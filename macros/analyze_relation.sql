{#-
    Post-hook of every table and incremental model and of every seed (dbt_project.yml): brings
    the planner statistics of the relation just written up to date, so that the models reading
    it are planned on its real row counts and value distributions.

    PostgreSQL gathers statistics of a new or rewritten table only when autovacuum gets to it,
    usually after the build has moved on. Until then it plans on guesses: on 160k generated
    events a model that runs in 2.7 s took 436 s, planned with nested loops over tables it
    believed nearly empty (README, "Postgres"). ANALYZE samples a fixed number of rows, so it
    costs about the same at any size. Views have no statistics of their own (the planner reads
    those of their tables). A no-op on DuckDB, which keeps its statistics as it writes.
-#}
{% macro analyze_relation() -%}
    {{ return(adapter.dispatch('analyze_relation', 'growth_metrics')()) }}
{%- endmacro %}

{% macro default__analyze_relation() -%}
{%- endmacro %}

{% macro postgres__analyze_relation() -%}
    {%- set materialized = config.get('materialized') -%}
    {%- if model.resource_type == 'seed' or materialized in ['table', 'incremental'] -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
