-- clean_text: each raw value with its hand-written cleaned value. Returns mismatches.
-- Whitespace other than spaces is written with chr(): 9 tab, 10 line feed, 13 carriage
-- return, 160 no-break space, 65279 byte order mark.
with cases as (
    select cases_table.* from (
        values
        ('o_1', 'o_1'),
        ('  o_1  ', 'o_1'),
        ('o_1' || chr(9), 'o_1'),
        (chr(10) || 'o_1' || chr(13) || chr(10), 'o_1'),
        (chr(160) || 'o_1' || chr(160), 'o_1'),
        (chr(65279) || 'o_1', 'o_1'),
        (' ' || chr(9) || ' o_1 ' || chr(160) || ' ', 'o_1'),
        -- inner whitespace is kept
        ('o' || chr(9) || '1', 'o' || chr(9) || '1'),
        ('Order ' || chr(160) || ' Completed', 'Order ' || chr(160) || ' Completed'),
        -- whitespace only, or empty: null
        (chr(9) || chr(10) || chr(13) || chr(160), null),
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
