{#-
    A hash key over several columns, as dbt_utils.generate_surrogate_key does: each value cast
    to text, nulls replaced by a marker so (null, 'a') and ('', 'a') differ, joined with "-".
-#}
{% macro surrogate_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(
            "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '_growth_null_')"
        ) -%}
        {%- if not loop.last %}{% do parts.append("'-'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
