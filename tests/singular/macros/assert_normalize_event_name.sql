-- normalize_event_name: each input with its hand-written expected name. Returns mismatches.
-- Non-ASCII characters are written with chr(code point), so that invisible ones can be seen;
-- both engines read chr() as a Unicode code point.
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
        -- accented Latin kept, and two names that differ by one accented letter stay apart
        ('A' || chr(241) || 'adir al carrito', 'a' || chr(241) || 'adir_al_carrito'),
        ('Caf' || chr(233) || ' Visited', 'caf' || chr(233) || '_visited'),
        ('Caf' || chr(252) || ' Visited', 'caf' || chr(252) || '_visited'),
        -- decomposed e + combining acute (U+0301) is the same name as the composed one (NFC)
        ('Cafe' || chr(769) || ' Visited', 'caf' || chr(233) || '_visited'),
        -- uppercase accented letters are lowercased; camelCase boundary after an accented letter
        (chr(201) || 't' || chr(233) || 'Order', chr(233) || 't' || chr(233) || '_order'),
        -- Arabic "order completed" (right to left), Hebrew "order", Japanese "order complete"
        (
            chr(1578) || chr(1605) || ' '
            || chr(1575) || chr(1604) || chr(1591) || chr(1604) || chr(1576),
            chr(1578) || chr(1605) || '_'
            || chr(1575) || chr(1604) || chr(1591) || chr(1604) || chr(1576)
        ),
        (
            chr(1492) || chr(1494) || chr(1502) || chr(1504) || chr(1492),
            chr(1492) || chr(1494) || chr(1502) || chr(1504) || chr(1492)
        ),
        (
            chr(27880) || chr(25991) || chr(23436) || chr(20102),
            chr(27880) || chr(25991) || chr(23436) || chr(20102)
        ),
        -- Arabic-Indic digit three kept as a digit
        (chr(1635) || ' Items', chr(1635) || '_items'),
        -- invisible characters removed, not turned into separators: zero-width space,
        -- soft hyphen, byte order mark, right-to-left override + pop, isolates, LRM / RLM
        ('Order' || chr(8203) || 'Completed', 'order_completed'),
        ('order com' || chr(173) || 'pleted', 'order_completed'),
        (chr(65279) || 'Order Completed', 'order_completed'),
        (chr(8238) || 'Order Completed' || chr(8236), 'order_completed'),
        (
            chr(8294) || 'order' || chr(8297) || '_completed' || chr(8206) || chr(8207),
            'order_completed'
        ),
        ('sign' || chr(8205) || 'up', 'signup'),
        -- no letter or digit left: null (quarantined as event_name_without_letters)
        ('A' || chr(241) || 'adir!', 'a' || chr(241) || 'adir'),
        (chr(128512) || chr(127881), null),
        (chr(8203) || chr(8238), null),
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
