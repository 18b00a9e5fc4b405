-- normalize_event_name: each input with its hand-written expected name. Returns mismatches.
with cases as (
    select cases_table.* from (
        values
        ('Order Completed', 'order_completed'),
        ('order_completed', 'order_completed'),
        ('orderCompleted', 'order_completed'),
        ('  checkout-started ', 'checkout_started'),
        ('API Call Made', 'api_call_made'),
        ('Signed Up!', 'signed_up'),
        ('v2 Page__View', 'v2_page_view'),
        ('Añadir al carrito', 'a_adir_al_carrito'),
        ('!!!', null),
        ('   ', null),
        (null, null)
    ) as cases_table (input_name, expected_name)
),

checked as (
    select
        input_name,
        expected_name,
        {{ normalize_event_name('input_name') }} as actual_name
    from cases
),

final as (
    select * from checked
    where
        actual_name is distinct from expected_name
)

select * from final
