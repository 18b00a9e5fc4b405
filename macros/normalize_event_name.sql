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
    {%- set visible = regexp_replace_all(
        'trim(' ~ expression ~ ')', regex_literal('[' ~ invisible | join('') ~ ']'), "''"
    ) -%}
    {%- set unicode_text = syntax.unicode_text.replace('@', syntax.nfc.replace('@', visible)) -%}
    {%- set camel_case_split = regexp_replace_all(
        unicode_text,
        regex_literal('([' ~ syntax.lowercase ~ syntax.digit ~ '])([' ~ syntax.uppercase ~ '])'),
        text_literal(regexp_backreference(1) ~ '_' ~ regexp_backreference(2)),
    ) -%}
    {%- set separated = regexp_replace_all(
        'lower(' ~ camel_case_split ~ ')',
        regex_literal('[^' ~ syntax.letter ~ syntax.digit ~ ']+'),
        "'_'",
    ) -%}
    nullif({{ regexp_replace_all(separated, regex_literal('^_+|_+$'), "''") }}, '')
{%- endmacro %}
