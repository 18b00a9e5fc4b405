{#-
    The CTE `numbered`: every row of `rows` with its copy_number and delivery_number (see those
    macros; both use delivery_window over `key_columns`).

    With a raw row locator (`rows` then carries it as raw_row_locator; see raw_row_locator),
    the numbers are computed in a CTE `copy_numbers` on a narrow projection (the locator and the
    window's columns) and joined back to the wide rows: the engine sorts a few columns instead of
    every column of every raw row, which is most of a base model's time and, at 100M events, of
    its spill to disk. Without one, the window runs on the wide rows. Both give the same numbers.

    In an incremental run `rows` holds only the raw rows being reprocessed (see
    raw_rows_to_reprocess), and a CTE `earlier_deliveries` counts, per message id, the usable
    copies already stored that were received before them: those rank first and keep their
    numbers, so a reprocessed copy's delivery_number is its rank among the reprocessed copies
    plus that count. Copy numbers need no such offset: identical rows share their received_at,
    so they are always reprocessed together.
-#}
{% macro numbered_copies(rows, key_columns, row_locator=none, order_by='received_at nulls last') -%}
    {%- set window = delivery_window(key_columns, order_by) %}
    {%- set earlier = '' %}
    {%- if is_incremental() %}
        {%- if key_columns | length != 1 -%}
            {{ exceptions.raise_compiler_error(
                'numbered_copies: an incremental model needs exactly one key column'
            ) }}
        {%- endif %}
        {%- set key = key_columns[0] %}
        {%- set earlier = ' + coalesce(earlier_deliveries.deliveries, 0)' %}
earlier_deliveries as (
    select
        stored.{{ key }} as delivered_key,
        count(*) as deliveries
    from {{ this }} as stored
    where
        stored.quarantine_reason is null
        and stored.received_at < {{ reprocess_cutoff() }}
        and stored.{{ key }} in (
            select {{ rows }}.{{ key }}
            from {{ rows }}
            where {{ rows }}.quarantine_reason is null
        )
    group by stored.{{ key }}
),

    {% endif %}
    {%- if row_locator %}
copy_numbers as (
    select
        raw_row_locator,
        cast(row_number() over ({{ window }}) as {{ dbt.type_bigint() }}) as row_in_window,
        cast(rank() over ({{ window }}) as {{ dbt.type_bigint() }}) as rank_in_window
    from {{ rows }}
),

numbered as (
    select
        {{ rows }}.*,
        copy_numbers.row_in_window - copy_numbers.rank_in_window + 1 as copy_number,
        case
            when {{ rows }}.quarantine_reason is null
                then copy_numbers.row_in_window{{ earlier }}
        end as delivery_number
    from {{ rows }}
    inner join copy_numbers
        on {{ rows }}.raw_row_locator = copy_numbers.raw_row_locator
    {%- else %}
numbered as (
    select
        {{ rows }}.*,
        {{ copy_number(key_columns, order_by) }} as copy_number,
        {{ delivery_number(key_columns, order_by, offset=earlier) }} as delivery_number
    from {{ rows }}
    {%- endif %}
    {%- if is_incremental() %}
    left join earlier_deliveries
        on {{ rows }}.{{ key_columns[0] }} = earlier_deliveries.delivered_key
    {%- endif %}
)
{%- endmacro %}
