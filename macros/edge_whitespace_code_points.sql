{#-
    Code points (decimal) that macro clean_text trims from both ends of a raw text value: tab,
    line feed, vertical tab, form feed, carriage return, space, no-break space (U+00A0) and byte
    order mark (U+FEFF), each written with macro code_point_char.
-#}
{% macro edge_whitespace_code_points() -%}
    {{ return([9, 10, 11, 12, 13, 32, 160, 65279]) }}
{%- endmacro %}
