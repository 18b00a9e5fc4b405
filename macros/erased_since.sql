{#-
    True in an incremental run when an identity was erased (stg_privacy__erased_identities)
    after the model's last run: the latest `marker_column` it has stored (the run timestamp it
    stamps on the rows it writes; this run's rows left out, see last_processed_at). False
    outside an incremental run and in unit tests. Erasures are rare: the models that must
    forget or recompute something after one ask this first, so that a run without one scans
    nothing. A run that failed in between is caught up by the next one: the marker does not
    move until the model writes again. A model calling this declares
    `-- depends_on: {{ ref('stg_privacy__erased_identities') }}`.
-#}
{% macro erased_since(marker_column='processed_at') -%}
    {%- if not execute or not is_incremental() or model.resource_type == 'unit_test' -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set query -%}
        select count(*)
        from {{ ref('stg_privacy__erased_identities') }} as erased
        where erased.erased_at > {{ last_processed_at(marker_column) }}
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0] > 0) }}
{%- endmacro %}
