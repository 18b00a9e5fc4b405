{#-
    The one-character text of Unicode code point `code_point` (an integer written in the SQL,
    e.g. 160 for a no-break space). DuckDB's and PostgreSQL's chr() take any code point; Spark's
    takes it modulo 256 (chr(65279) is 'ÿ'), so there it is a '\uFEFF' literal.
-#}
{% macro code_point_char(code_point) -%}
    {{ return(adapter.dispatch('code_point_char', 'growth_metrics')(code_point)) }}
{%- endmacro %}

{% macro default__code_point_char(code_point) -%}
    {{ return('chr(' ~ code_point ~ ')') }}
{%- endmacro %}

{% macro spark__code_point_char(code_point) -%}
    {%- set number = code_point | int -%}
    {%- if number > 65535 -%}
        {{ return("'\\U" ~ '%08X' | format(number) ~ "'") }}
    {%- endif -%}
    {{ return("'\\u" ~ '%04X' | format(number) ~ "'") }}
{%- endmacro %}
