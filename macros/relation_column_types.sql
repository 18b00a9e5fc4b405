{#-
    {column name (lowercase): data type (lowercase)} of a relation, read from the warehouse at
    run time; empty while dbt parses. Lets a model cast a raw column the cheap way when the
    warehouse already delivers it typed.
-#}
{% macro relation_column_types(relation) -%}
    {%- set types = {} -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do types.update({column.name | lower: column.data_type | lower}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(types) }}
{%- endmacro %}
