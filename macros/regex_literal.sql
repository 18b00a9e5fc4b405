{#-
    The SQL string literal for the regular expression `pattern`, written once for every engine:
    RE2 / PostgreSQL ARE syntax with POSIX bracket classes ([[:space:]], [^[:digit:]x]),
    backslash escapes written singly ('\d'), quotes unescaped. DuckDB and PostgreSQL take it
    as it is. Spark's Java regex reads [[:space:]] as a set of the letters ":space", so there
    each POSIX class becomes its Java \p{...} class (ASCII, as on the other engines), and the
    literal is escaped (macro text_literal).
-#}
{% macro regex_literal(pattern) -%}
    {{ return(adapter.dispatch('regex_literal', 'growth_metrics')(pattern)) }}
{%- endmacro %}

{% macro default__regex_literal(pattern) -%}
    {{ return(text_literal(pattern)) }}
{%- endmacro %}

{% macro spark__regex_literal(pattern) -%}
    {%- set translated = namespace(pattern=pattern) -%}
    {%- for posix, java in [
        ('alpha', 'Alpha'), ('digit', 'Digit'), ('alnum', 'Alnum'), ('upper', 'Upper'),
        ('lower', 'Lower'), ('space', 'Space'), ('punct', 'Punct'), ('xdigit', 'XDigit'),
        ('blank', 'Blank'), ('cntrl', 'Cntrl'), ('print', 'Print'), ('graph', 'Graph'),
    ] -%}
        {%- set translated.pattern = translated.pattern.replace(
            '[:' ~ posix ~ ':]', '\\p{' ~ java ~ '}'
        ) -%}
    {%- endfor -%}
    {{ return(text_literal(translated.pattern)) }}
{%- endmacro %}
