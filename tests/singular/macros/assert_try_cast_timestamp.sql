-- try_cast_timestamp: text in the forms warehouses deliver, with the hand-written UTC result.
with cases as (
    select cases_table.* from (
        values
        ('2024-03-01T10:00:00.000Z', '2024-03-01 10:00:00'),
        ('2024-03-01T10:00:00Z', '2024-03-01 10:00:00'),
        ('2024-03-01 12:00:00+02', '2024-03-01 10:00:00'),
        ('2024-03-01T12:30:00+02:30', '2024-03-01 10:00:00'),
        ('2024-03-01 05:00:00-0500', '2024-03-01 10:00:00'),
        ('2024-03-01 10:00:00', '2024-03-01 10:00:00'),
        ('2024-03-01', '2024-03-01 00:00:00'),
        ('2024-02-29 23:59:59.5', '2024-02-29 23:59:59.5'),
        ('2024-02-30 10:00:00', null),
        ('2024-13-01 10:00:00', null),
        ('yesterday', null),
        ('epoch', null),
        ('infinity', null),
        ('1709287200', null),
        ('not a time', null),
        ('', null),
        (null, null)
    ) as cases_table (raw_value, expected_text)
),

checked as (
    select
        raw_value,
        cast(expected_text as {{ dbt.type_timestamp() }}) as expected_at,
        {{ try_cast_timestamp('raw_value') }} as actual_at
    from cases
),

final as (
    select * from checked
    where
        actual_at is distinct from expected_at
)

select * from final
