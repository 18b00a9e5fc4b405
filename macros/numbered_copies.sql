{#-
    The CTE `numbered`: every row of `rows` with its copy_number and delivery_number (see those
    macros; both use delivery_window over `key_columns`).

    With a raw row locator (`rows` then carries it as raw_row_locator; see raw_row_locator),
    the numbers are computed in a CTE `copy_numbers` on a narrow projection (the locator and the
    window's columns) and joined back to the wide rows: the engine sorts a few columns instead of
    every column of every raw row, which is most of a base model's time and, at 100M events, of
    its spill to disk. Without one, the window runs on the wide rows. Both give the same numbers.
-#}
{% macro numbered_copies(rows, key_columns, row_locator, order_by='received_at nulls last') -%}
    {%- if row_locator %}
copy_numbers as (
    select
        raw_row_locator,
        row_number() over ({{ delivery_window(key_columns, order_by) }}) as row_in_window,
        rank() over ({{ delivery_window(key_columns, order_by) }}) as rank_in_window
    from {{ rows }}
),

numbered as (
    select
        {{ rows }}.*,
        copy_numbers.row_in_window - copy_numbers.rank_in_window + 1 as copy_number,
        case
            when {{ rows }}.quarantine_reason is null then copy_numbers.row_in_window
        end as delivery_number
    from {{ rows }}
    inner join copy_numbers
        on {{ rows }}.raw_row_locator = copy_numbers.raw_row_locator
)
    {%- else %}
numbered as (
    select
        *,
        {{ copy_number(key_columns, order_by) }} as copy_number,
        {{ delivery_number(key_columns, order_by) }} as delivery_number
    from {{ rows }}
)
    {%- endif %}
{%- endmacro %}
