{#-
    Lowercase snake_case of an event name, in any script: "Order Completed", "order-completed",
    "orderCompleted" and " ORDER_COMPLETED " all give order_completed; "Café Visited" gives
    café_visited, "تم الطلب" تم_الطلب. In order: trimmed; invisible and bidi control characters
    (macro invisible_code_points) removed; NFC-normalised (a letter and its combining accent
    become one letter); a camelCase boundary (lowercase letter or digit, then uppercase letter)
    becomes an underscore; lowercased; every run of characters other than letters (Unicode L*)
    and decimal digits (Nd) becomes one underscore; leading and trailing underscores dropped.
    A name with no letter or digit left (blank, punctuation, emoji) gives null.
    The Unicode classes, NFC and the collation are engine-specific (macro
    unicode_regex_syntax); on PostgreSQL they need a UTF8 database with ICU (see README).
-#}
{% macro normalize_event_name(expression) -%}
    {%- set syntax = unicode_regex_syntax() -%}
    {%- set invisible = [] -%}
    {%- for first, last in invisible_code_points() -%}
        {%- do invisible.append(
            syntax.code_point.replace('@', first)
            ~ ('-' ~ syntax.code_point.replace('@', last) if last else '')
        ) -%}
    {%- endfor -%}
    {%- set visible -%}
        regexp_replace(trim({{ expression }}), '[{{ invisible | join('') }}]', '', 'g')
    {%- endset -%}
    {%- set unicode_text = syntax.unicode_text.replace('@', syntax.nfc.replace('@', visible)) -%}
    nullif(
        regexp_replace(
            regexp_replace(
                lower(regexp_replace(
                    {{ unicode_text }},
                    '([{{ syntax.lowercase }}{{ syntax.digit }}])([{{ syntax.uppercase }}])',
                    '\1_\2',
                    'g'
                )),
                '[^{{ syntax.letter }}{{ syntax.digit }}]+', '_', 'g'
            ),
            '^_+|_+$', '', 'g'
        ),
        ''
    )
{%- endmacro %}
