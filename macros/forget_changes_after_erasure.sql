{#-
    Post-hook of int_funnel_entities_changed: when an identity was erased since the model's
    last run, deletes the lists of the earlier runs (they hold the erased person's user and
    account keys, which are recorded nowhere else any more to find them by). Nothing needs
    them: after an erasure fct_funnel_steps recomputes every entity (macro
    funnel_steps_recompute_all), and this run's list names no erased identity.
-#}
{% macro forget_changes_after_erasure() -%}
    {%- if execute and is_incremental() and model.resource_type != 'unit_test' -%}
        {%- set erased_since -%}
            select count(*)
            from {{ ref('stg_privacy__erased_identities') }} as erased
            where erased.erased_at > {{ last_processed_at() }}
        {%- endset -%}
        {%- if run_query(erased_since).columns[0].values()[0] > 0 -%}
            delete from {{ this }}
            where processed_at < {{ run_timestamp() }}
        {%- else -%}
            select 1
        {%- endif -%}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
