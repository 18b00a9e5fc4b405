{#-
    The date var `var_name` as an SQL date literal (cast('YYYY-MM-DD' as date)), or none when
    the var is null. A value that is not a YYYY-MM-DD date is a compile error that says so.
-#}
{% macro date_var(var_name) -%}
    {%- set value = var(var_name, none) -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set text = value | string -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ var_name ~ " must be a date written YYYY-MM-DD (or null), not '" ~ text ~ "'"
        ) }}
    {%- endif -%}
    {{ return("cast('" ~ text ~ "' as date)") }}
{%- endmacro %}
