-- surrogate_key: null and empty differ, order matters, equal inputs give equal keys;
-- safe_divide: zero and null denominators give null.
with keys as (
    select
        {{ surrogate_key(["'a'", "cast(null as " ~ dbt.type_string() ~ ")"]) }} as a_null,
        {{ surrogate_key(["'a'", "''"]) }} as a_empty,
        {{ surrogate_key(["'a'", "'b'"]) }} as a_b,
        {{ surrogate_key(["'b'", "'a'"]) }} as b_a,
        {{ surrogate_key(["'a'", "'b'"]) }} as a_b_again,
        {{ surrogate_key(["'a-b'", "''"]) }} as dash_in_value
),

divisions as (
    select
        {{ safe_divide('6.0', '3.0') }} as six_by_three,
        {{ safe_divide('6.0', '0') }} as six_by_zero,
        {{ safe_divide('6.0', 'null') }} as six_by_null
),

failures as (
    select 'null and empty give one key' as failure
    from keys
    where a_null = a_empty
    union all
    select 'column order ignored' as failure
    from keys
    where a_b = b_a
    union all
    select 'not deterministic' as failure
    from keys
    where a_b <> a_b_again
    union all
    select 'not a 32-character hash' as failure
    from keys
    where length(a_b) <> 32
    union all
    select 'safe_divide 6/3 <> 2' as failure
    from divisions
    where six_by_three <> 2
    union all
    select 'safe_divide by zero not null' as failure
    from divisions
    where six_by_zero is not null
    union all
    select 'safe_divide by null not null' as failure
    from divisions
    where six_by_null is not null
)

select * from failures
