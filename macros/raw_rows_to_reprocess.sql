{#-
    How an incremental Segment base model reprocesses its raw table, from a cutoff: the latest
    received_at stored, minus var('incremental_lookback_hours') (see reprocess_cutoff).

    - raw_rows_to_reprocess: the where clause that selects the raw rows received since the
      cutoff, plus those with no usable received_at. A full build reads every raw row. The
      filter is on the raw received_at alone, so that the engine prunes what it can and never
      cleans the id of every raw row. A stored row received before the cutoff keeps its
      numbers: copies rank earliest delivery first, so later copies only rank after it (see
      numbered_copies for how the new ones are numbered after it).
    - stored_rows_to_replace: the same rows as stored, as the model's incremental_predicates.
      delete+insert on row_fingerprint then deletes only among them (identical rows share their
      received_at), instead of probing every stored fingerprint.
    The cutoff is reprocess_cutoff().

    A raw row that reaches the warehouse more than the lookback after its received_at is left
    out until the next full refresh; the row accounting (stg_audit__row_accounting) shows it.
-#}
{% macro raw_rows_to_reprocess(raw_relation, received_at_type) -%}
    {%- if is_incremental() -%}
        {%- set received_at = try_cast_timestamp('received_at', received_at_type) -%}
        where {{ received_at }} is null or {{ received_at }} >= {{ reprocess_cutoff() }}
    {%- endif -%}
{%- endmacro %}

{% macro stored_rows_to_replace() -%}
    {#- Rendered in the model's config, also before a first build: a subquery, not a query.
        dbt renders a config before it applies the model's custom schema to `this`, so the
        relation is named here as it will be built. -#}
    {%- set stored = this -%}
    {%- if model.resource_type != 'unit_test' -%}
        {%- set stored = this.incorporate(
            path={'schema': generate_schema_name(model.config.schema, model)}
        ) -%}
    {%- endif -%}
    (received_at is null or received_at >= ({{ reprocess_cutoff_query(stored) }}))
{%- endmacro %}

{#-
    `rows`: a CTE of the model's finished rows. All copies of a fingerprint are written
    together, since delete+insert replaces by fingerprint: a fingerprint is written when one
    of its copies is not stored with the same copy and delivery numbers. Every stored row that
    could match is among those reprocessed (a copy's received_at is part of its fingerprint),
    so the stored side is read only since the cutoff.
-#}
{% macro staged_rows(rows) -%}
select
    {{ rows }}.*,
    {{ run_timestamp() }} as staged_at
from {{ rows }}
{%- if is_incremental() %}
where {{ rows }}.row_fingerprint in (
    select {{ rows }}.row_fingerprint
    from {{ rows }}
    left join (
        select
            row_fingerprint,
            copy_number,
            delivery_number
        from {{ this }}
        where received_at is null or received_at >= {{ reprocess_cutoff() }}
    ) as stored
        on
            {{ rows }}.row_fingerprint = stored.row_fingerprint
            and {{ rows }}.copy_number = stored.copy_number
            and coalesce({{ rows }}.delivery_number, 0) = coalesce(stored.delivery_number, 0)
    where stored.row_fingerprint is null
)
{%- endif %}
{%- endmacro %}
