-- clean_text: each raw value with its hand-written cleaned value. Returns mismatches.
-- Whitespace other than spaces is written as code points (u(): macro code_point_char): 9 tab,
-- 10 line feed, 13 carriage return, 160 no-break space, 65279 byte order mark.
{%- set u = code_point_char %}
with cases as (
    select cases_table.* from (
        values
        ('o_1', 'o_1'),
        ('  o_1  ', 'o_1'),
        ('o_1' || {{ u(9) }}, 'o_1'),
        ({{ u(10) }} || 'o_1' || {{ u(13) }} || {{ u(10) }}, 'o_1'),
        ({{ u(160) }} || 'o_1' || {{ u(160) }}, 'o_1'),
        ({{ u(65279) }} || 'o_1', 'o_1'),
        (' ' || {{ u(9) }} || ' o_1 ' || {{ u(160) }} || ' ', 'o_1'),
        -- inner whitespace is kept
        ('o' || {{ u(9) }} || '1', 'o' || {{ u(9) }} || '1'),
        ('Order ' || {{ u(160) }} || ' Completed', 'Order ' || {{ u(160) }} || ' Completed'),
        -- whitespace only, or empty: null
        ({{ u(9) }} || {{ u(10) }} || {{ u(13) }} || {{ u(160) }}, null),
        ('', null),
        (null, null)
    ) as cases_table (raw_value, expected_value)
),

checked as (
    select
        raw_value,
        expected_value,
        {{ clean_text('raw_value') }} as actual_value
    from cases
),

final as (
    select * from checked
    where
        actual_value is distinct from expected_value
)

select * from final
