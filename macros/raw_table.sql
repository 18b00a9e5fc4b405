{#-
    The raw table a base model reads. When the source's schema var (segment_schema,
    shop_schema, marketing_schema) is set, that is the source() in the user's warehouse. When
    it is null (the default), it is the fixture seed of the same name, read with ref() so that
    dbt builds the seed before the models that read it.
-#}
{% macro raw_table(source_name, table_name) -%}
    {%- if var(source_name ~ '_schema') is none -%}
        {{ return(ref(table_name)) }}
    {%- else -%}
        {{ return(source(source_name, table_name)) }}
    {%- endif -%}
{%- endmacro %}
