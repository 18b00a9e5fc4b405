{#-
    Why a raw number cannot be staged, as a quarantine reason named after `noun` (say
    'revenue'), or null when it is a finite, non-negative number that fits the type (see
    try_cast_decimal), in this order:
    - missing_<noun>: null, or blank text;
    - non_finite_<noun>: NaN, Infinity or -Infinity (a double's or numeric's, or such text);
    - unparseable_<noun>: anything else that is not a number, or too large for numeric(28,6);
    - negative_<noun>: below zero once rounded to 6 decimals (-0 and -0.0000001 are zero).
    `value` is the already parsed number (try_cast_decimal of the same column).
-#}
{% macro number_quarantine_reason(expression, value, noun) -%}
    {%- set text = raw_number_text(expression) -%}
    case
        when {{ text }} is null then 'missing_{{ noun }}'
        when {{ regexp_like('lower(' ~ text ~ ')', regex_literal(non_finite_text_pattern())) }}
            then 'non_finite_{{ noun }}'
        when {{ value }} is null then 'unparseable_{{ noun }}'
        when {{ value }} < 0 then 'negative_{{ noun }}'
    end
{%- endmacro %}
