-- The cross-database layer, checked on every engine against hand-written values: each failed
-- check returns one row naming it.
{%- set ts = dbt.type_timestamp() %}
with moments as (
    select
        cast('2024-03-01 10:00:00.900' as {{ ts }}) as started_at,
        cast('2024-03-01 10:00:01.100' as {{ ts }}) as ended_at,
        cast(null as {{ ts }}) as missing_at
),

computed as (
    select
        -- seconds_between: fractional, not boundaries crossed
        {{ seconds_between('started_at', 'ended_at') }} as seconds_apart,
        -- dbt.dateadd keeps the fraction of a second and passes a null through
        {{ dbt.dateadd('hour', 1, 'started_at') }} as hour_later,
        {{ dbt.dateadd('millisecond', 200, 'started_at') }} as millis_later,
        {{ dbt.dateadd('day', 1, 'missing_at') }} as day_after_missing,
        {{ add_milliseconds('-2592000000', 'started_at') }} as thirty_days_before,
        -- type_double: 2^24 + 1 is exact in 64 bits, not in a 4-byte float
        cast(16777217 as {{ type_double() }}) - cast(16777216 as {{ type_double() }}) as double_step
    from moments
),

patterns as (
    select
        -- a POSIX class is that class on every engine (Java would read [[:space:]] as letters)
        {{ regexp_like("'space'", regex_literal('[[:space:]]')) }} as letters_match_space,
        {{ regexp_like("'a b'", regex_literal('a[[:space:]]b')) }} as space_matches_space,
        -- a backslash escape and a quote survive the literal
        {{ regexp_like("'v2'", regex_literal('^v\\d$')) }} as backslash_digit_matches,
        {{ text_literal("it's a \\ backslash") }} as quoted_text,
        -- a capture group in the replacement
        {{ regexp_replace_all(
            "'fooBar bazQux'",
            regex_literal('([a-z])([A-Z])'),
            text_literal(regexp_backreference(2) ~ '-' ~ regexp_backreference(1)),
        ) }} as groups_swapped,
        -- a code point above 255 and one above the basic plane
        length({{ code_point_char(65279) }} || {{ code_point_char(128512) }}) as two_characters,
        {{ code_point_char(65279) }} = {{ code_point_char(255) }} as bom_is_y_umlaut
),

rows_in_order as (
    select rows_table.* from (
        values
        ('g', 2, 1, 'a'),
        ('g', 1, 3, 'b'),
        ('g', 1, 2, null),
        ('g', 2, 4, 'c')
    ) as rows_table (group_key, batch_number, position_number, label)
),

firsts as (
    select
        group_key,
        {{ first_in_order('label', ['position_number']) }} as first_by_position,
        {{ first_in_order('label', ['batch_number', 'position_number']) }} as first_by_batch,
        {{ median('position_number') }} as median_position
    from rows_in_order
    group by group_key
),

failures as (
    select 'seconds_between is not 0.2' as failure
    from computed
    where abs(seconds_apart - 0.2) > 1e-9
    union all
    select 'dateadd hour lost the fraction' as failure
    from computed
    where hour_later <> cast('2024-03-01 11:00:00.900' as {{ ts }})
    union all
    select 'dateadd millisecond is not exact' as failure
    from computed
    where millis_later <> cast('2024-03-01 10:00:01.100' as {{ ts }})
    union all
    select 'dateadd of null is not null' as failure
    from computed
    where day_after_missing is not null
    union all
    select 'add_milliseconds of 30 days is wrong' as failure
    from computed
    where thirty_days_before <> cast('2024-01-31 10:00:00.900' as {{ ts }})
    union all
    select 'type_double is not 64-bit' as failure
    from computed
    where double_step <> 1
    union all
    select 'a POSIX class read as a set of letters' as failure
    from patterns
    where letters_match_space or not space_matches_space
    union all
    select 'backslash lost from a regex literal' as failure
    from patterns
    where not backslash_digit_matches
    union all
    select 'text_literal changed the text' as failure
    from patterns
    where
        quoted_text
        <> 'it' || {{ code_point_char(39) }} || 's a ' || {{ code_point_char(92) }} || ' backslash'
    union all
    select 'back-references not replaced' as failure
    from patterns
    where groups_swapped <> 'foB-oar baQ-zux'
    union all
    select 'code_point_char is not one character per code point' as failure
    from patterns
    where two_characters <> 2 or bom_is_y_umlaut
    union all
    select 'first_in_order by one key is not a' as failure
    from firsts
    where first_by_position is distinct from 'a'
    union all
    select 'first_in_order by two keys skipped the null value' as failure
    from firsts
    where first_by_batch is not null
    union all
    select 'median is not 2.5' as failure
    from firsts
    where median_position <> 2.5
)

select * from failures
