{#-
    `expression` (text) with every email address replaced by the token '[email]', and every
    match of an analyst's extra pattern (var('redaction_patterns')) by its replacement. An
    address is found plain (gina@growthco.example) or percent-encoded as in a URL, once or
    twice (gina%40growthco.example, Gina%2Bx%40GrowthCo.Example, gina%2540growthco.example):
    a local part of any characters but spaces and URL or address delimiters
    (/ ? # & = < > " ' @ : ; , ( ) |), "@" or its encoding, and a dotted domain (labels
    without "%" or "+"). A local part joined by "+" (a space in a raw query string) takes the
    word before it along ("hi+gina%40x.example" gives "[email]"): too much is redacted, never
    too little. The regular expression runs only on values that contain "@", "%40" or "%2540"
    (a cheap test first: these columns are computed on every raw call). Null stays null.
    The extra patterns run on every non-null value, one pass each: keep the list short. They
    must be valid as RE2 (DuckDB), PostgreSQL ARE and Java regex (Spark): POSIX bracket classes
    such as [[:digit:]] (macro regex_literal), no look-around, no back-references.
-#}
{% macro redact_personal_data(expression) -%}
    {%- set local = "[^[:space:]/?#&=<>\"'@:;,()|]" -%}
    {%- set domain = "[^[:space:]/?#&=<>\"'@:;,()|%.+]" -%}
    {%- set email_pattern = local ~ "+(@|%40|%2540)" ~ domain ~ "+([.]" ~ domain ~ "+)+" -%}
    {%- set redacted -%}
        case
            when
                position('@' in {{ expression }}) > 0
                or position('%40' in {{ expression }}) > 0
                or position('%2540' in {{ expression }}) > 0
                then {{ regexp_replace_all(expression, regex_literal(email_pattern), "'[email]'") }}
            else {{ expression }}
        end
    {%- endset -%}
    {#- a namespace: a variable set inside a loop does not outlive it in Jinja -#}
    {%- set out = namespace(sql=redacted) -%}
    {%- for rule in var('redaction_patterns') -%}
        {%- set out.sql = regexp_replace_all(
            out.sql,
            regex_literal(rule.pattern),
            text_literal(rule.replacement | default('[redacted]')),
        ) -%}
    {%- endfor -%}
    {{ out.sql }}
{%- endmacro %}
