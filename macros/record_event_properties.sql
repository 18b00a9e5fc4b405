{#-
    fct_event_properties records the per-event tables' property columns it was built from (as
    its table's comment, see event_property_signature), so that an incremental run can tell a
    new or dropped property column and then recompute every timeline.

    - event_properties_changed(tables): true when `tables` (event_property_columns) differ
      from the record; a table built without a record counts as changed.
    - record_event_properties(): post-hook writing the record.
    - delete_unwritten_event_properties(): post-hook deleting the stored rows this run did not
      write again: of the changed timelines (delete_unwritten_timelines), or of every
      timeline when the run recomputed them all.
-#}
{% macro event_properties_changed(tables) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(stored_table_comment(this) != 'properties: ' ~ event_property_signature(tables)) }}
{%- endmacro %}

{% macro record_event_properties() -%}
    comment on table {{ this }} is
        'properties: {{ event_property_signature(event_property_columns()) }}'
{%- endmacro %}

{% macro delete_unwritten_event_properties() -%}
    {{ delete_unwritten_timelines(
        'timeline_key',
        recompute_all=is_incremental() and event_properties_changed(event_property_columns()),
    ) }}
{%- endmacro %}
