-- normalize_event_name: each input with its hand-written expected name. Returns mismatches.
-- Non-ASCII characters are written as code points (u(): macro code_point_char), so that
-- invisible ones can be seen.
{%- set u = code_point_char %}
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
        ('A' || {{ u(241) }} || 'adir al carrito', 'a' || {{ u(241) }} || 'adir_al_carrito'),
        ('Caf' || {{ u(233) }} || ' Visited', 'caf' || {{ u(233) }} || '_visited'),
        ('Caf' || {{ u(252) }} || ' Visited', 'caf' || {{ u(252) }} || '_visited'),
        -- decomposed e + combining acute (U+0301) is the same name as the composed one (NFC);
        -- not on Spark, which has no Unicode normalisation (macro unicode_regex_syntax)
        {%- if unicode_regex_syntax().nfc != '@' %}
        ('Cafe' || {{ u(769) }} || ' Visited', 'caf' || {{ u(233) }} || '_visited'),
        {%- endif %}
        -- uppercase accented letters are lowercased; camelCase boundary after an accented letter
        (
            {{ u(201) }} || 't' || {{ u(233) }} || 'Order',
            {{ u(233) }} || 't' || {{ u(233) }} || '_order'
        ),
        -- Arabic "order completed" (right to left), Hebrew "order", Japanese "order complete"
        (
            {{ u(1578) }} || {{ u(1605) }} || ' '
            || {{ u(1575) }} || {{ u(1604) }} || {{ u(1591) }} || {{ u(1604) }} || {{ u(1576) }},
            {{ u(1578) }} || {{ u(1605) }} || '_'
            || {{ u(1575) }} || {{ u(1604) }} || {{ u(1591) }} || {{ u(1604) }} || {{ u(1576) }}
        ),
        (
            {{ u(1492) }} || {{ u(1494) }} || {{ u(1502) }} || {{ u(1504) }} || {{ u(1492) }},
            {{ u(1492) }} || {{ u(1494) }} || {{ u(1502) }} || {{ u(1504) }} || {{ u(1492) }}
        ),
        (
            {{ u(27880) }} || {{ u(25991) }} || {{ u(23436) }} || {{ u(20102) }},
            {{ u(27880) }} || {{ u(25991) }} || {{ u(23436) }} || {{ u(20102) }}
        ),
        -- Arabic-Indic digit three kept as a digit
        ({{ u(1635) }} || ' Items', {{ u(1635) }} || '_items'),
        -- invisible characters removed, not turned into separators: zero-width space,
        -- soft hyphen, byte order mark, right-to-left override + pop, isolates, LRM / RLM
        ('Order' || {{ u(8203) }} || 'Completed', 'order_completed'),
        ('order com' || {{ u(173) }} || 'pleted', 'order_completed'),
        ({{ u(65279) }} || 'Order Completed', 'order_completed'),
        ({{ u(8238) }} || 'Order Completed' || {{ u(8236) }}, 'order_completed'),
        (
            {{ u(8294) }} || 'order' || {{ u(8297) }} || '_completed'
            || {{ u(8206) }} || {{ u(8207) }},
            'order_completed'
        ),
        ('sign' || {{ u(8205) }} || 'up', 'signup'),
        -- no letter or digit left: null (quarantined as event_name_without_letters)
        ('A' || {{ u(241) }} || 'adir!', 'a' || {{ u(241) }} || 'adir'),
        ({{ u(128512) }} || {{ u(127881) }}, null),
        ({{ u(8203) }} || {{ u(8238) }}, null),
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
