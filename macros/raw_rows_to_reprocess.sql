{#-
    The where clause of an incremental Segment base model. A full build reads every raw row.
    An incremental build reads every raw row of each message id that has a copy received
    since the last build (minus var('incremental_lookback_hours'), for rows that reach the
    warehouse late), plus the rows with no id or no usable received_at: so that a message's
    copies are always ranked together, and identical rows numbered together. The model's
    delete+insert on row_fingerprint then replaces exactly the stored versions of those rows.
-#}
{% macro raw_rows_to_reprocess(raw_relation, received_at_type) -%}
    {%- if is_incremental() -%}
        {%- set received_at = try_cast_timestamp('received_at', received_at_type) -%}
        where
            {{ clean_text('id') }} is null
            or {{ clean_text('id') }} in (
                select {{ clean_text('id') }}
                from {{ raw_relation }}
                where
                    {{ received_at }} is null
                    or {{ received_at }} >= (
                        select
                            {{ dbt.dateadd(
                                'hour', -1 * var('incremental_lookback_hours'), 'max(received_at)'
                            ) }}
                        from {{ this }}
                    )
            )
    {%- endif -%}
{%- endmacro %}
