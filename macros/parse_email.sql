{#-
    The address in a raw email value, normalized, or null when the value is not a well-formed
    address. Normalized: trimmed, lowercased, taken from between "<" and ">" when written with
    a display name ("Gina <Gina@GrowthCo.example>" gives gina@growthco.example), a trailing dot
    of the domain dropped (gina@growthco.example. is the same mailbox). Well formed: exactly one
    "@", a local part and a domain of at least two dot-separated labels, no spaces, quotes,
    commas or angle brackets inside; so a name, a phone number, 'n/a' or a list of addresses
    give null. The local part may hold any other character (zoë@example.com is kept).
-#}
{% macro parse_email(expression) -%}
    {%- set part = "[^[:space:]<>@\"',;:()]" -%}
    {%- set label = "[^[:space:]<>@\"',;:().]" -%}
    {{ regexp_extract_group(
        'lower(trim(' ~ expression ~ '))',
        "^(?:[^<>]*<[[:space:]]*)?(" ~ part ~ "+@" ~ label ~ "+(?:[.]" ~ label ~ "+)+)[.]?(?:[[:space:]]*>)?$",
    ) }}
{%- endmacro %}
