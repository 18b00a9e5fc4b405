{#-
    How this engine writes Unicode-aware text rules, for macros that normalise names in any
    script (normalize_event_name). Returns a dict; '@' in a value stands for the operand:
    - nfc: the expression in Unicode normal form C;
    - unicode_text: the expression with the collation under which lower() and the regex classes
      know every script;
    - code_point: a code point (hex) inside a regex bracket expression;
    - letter, lowercase, uppercase, digit: the contents of a regex bracket expression for
      Unicode letters (L*), lowercase (Ll) and uppercase (Lu) letters, decimal digits (Nd).
    DuckDB: RE2 Unicode classes; lower() is Unicode on any database.
    PostgreSQL: POSIX classes mean what the collation's ctype says, and a C / POSIX database
    (growthkit.pgserver runs initdb with --locale C) knows ASCII only; so the text is given the
    ICU root collation "und-x-icu" explicitly, which needs a UTF8 database (normalize() does too)
    and a server built with ICU (Debian, Ubuntu, PGDG, Homebrew builds are). Compiling on a
    server without them stops with an error saying so, rather than quarantining every
    non-ASCII name.
    Spark: Java regex Unicode classes (macro regex_literal escapes their backslashes). Spark
    SQL (4.3) has no Unicode normalisation, so names are compared
    as typed (a letter and its combining accent stay two code points).
-#}
{% macro unicode_regex_syntax() -%}
    {{ return(adapter.dispatch('unicode_regex_syntax', 'growth_metrics')()) }}
{%- endmacro %}

{% macro default__unicode_regex_syntax() -%}
    {{ exceptions.raise_compiler_error(
        'unicode_regex_syntax: no implementation for adapter ' ~ adapter.type()
        ~ '; add ' ~ adapter.type() ~ '__unicode_regex_syntax to macros/unicode_regex_syntax.sql'
    ) }}
{%- endmacro %}

{% macro duckdb__unicode_regex_syntax() -%}
    {{ return({
        'nfc': 'nfc_normalize(@)',
        'unicode_text': '@',
        'code_point': '\\x{@}',
        'letter': '\\p{L}',
        'lowercase': '\\p{Ll}',
        'uppercase': '\\p{Lu}',
        'digit': '\\p{Nd}',
    }) }}
{%- endmacro %}

{% macro spark__unicode_regex_syntax() -%}
    {{ return({
        'nfc': '@',
        'unicode_text': '@',
        'code_point': '\\x{@}',
        'letter': '\\p{L}',
        'lowercase': '\\p{Ll}',
        'uppercase': '\\p{Lu}',
        'digit': '\\p{Nd}',
    }) }}
{%- endmacro %}

{% macro postgres__unicode_regex_syntax() -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select pg_encoding_to_char(encoding) as encoding,"
            ~ " exists (select 1 from pg_collation where collname = 'und-x-icu') as has_icu"
            ~ " from pg_database where datname = current_database()"
        ) -%}
        {%- set row = found.rows[0] -%}
        {%- if row['encoding'] != 'UTF8' or not row['has_icu'] -%}
            {{ exceptions.raise_compiler_error(
                'Event names are normalised with Unicode rules, which on PostgreSQL need a UTF8 '
                ~ 'database and the ICU collation "und-x-icu"; this database has encoding '
                ~ row['encoding'] ~ (' and ICU' if row['has_icu'] else ' and no ICU collations')
                ~ '. Create the database with ENCODING UTF8 on a server built with ICU '
                ~ '(README, "Event names in any script").'
            ) }}
        {%- endif -%}
    {%- endif -%}
    {{ return({
        'nfc': 'normalize(@, nfc)',
        'unicode_text': '(@ collate "und-x-icu")',
        'code_point': '\\u@',
        'letter': '[:alpha:]',
        'lowercase': '[:lower:]',
        'uppercase': '[:upper:]',
        'digit': '[:digit:]',
    }) }}
{%- endmacro %}
