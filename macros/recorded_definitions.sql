{#-
    An incremental model whose rows depend on rules kept as data (a seed, a var) records a
    fingerprint of those rules as its table's comment, and recomputes every row when a run
    finds another one, instead of only what changed in the data:

    - definitions_changed(definitions): true in an incremental run whose `definitions` (a text
      fingerprint; none outside a run) differ from the table's comment. A table built without
      a record counts as changed.
    - record_definitions(definitions): post-hook writing the record.

    Used by int_funnel_entity_events (funnel_definitions) and fct_tracking_plan_violations
    (tracking_plan_definitions).
-#}
{% macro definitions_changed(definitions) -%}
    {%- if not execute or not is_incremental() or model.resource_type == 'unit_test' -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(stored_table_comment(this) != definitions) }}
{%- endmacro %}

{% macro record_definitions(definitions) -%}
    {%- if definitions is none -%}
        select 1
    {%- else -%}
        comment on table {{ this }} is '{{ definitions }}'
    {%- endif -%}
{%- endmacro %}
