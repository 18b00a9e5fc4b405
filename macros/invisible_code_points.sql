{#-
    Characters that change a text without being seen, removed from event names before they are
    compared (macro normalize_event_name): zero-width space, non-joiner and joiner
    (U+200B-U+200D), word joiner (U+2060), byte order mark / zero-width no-break space (U+FEFF),
    soft hyphen (U+00AD), left-to-right and right-to-left marks (U+200E-U+200F), Arabic letter
    mark (U+061C), bidi embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
    Returns a list of [first, last] hexadecimal code points (last none for a single one).
-#}
{% macro invisible_code_points() -%}
    {{ return([
        ['200B', '200D'],
        ['2060', none],
        ['FEFF', none],
        ['00AD', none],
        ['200E', '200F'],
        ['061C', none],
        ['202A', '202E'],
        ['2066', '2069'],
    ]) }}
{%- endmacro %}
