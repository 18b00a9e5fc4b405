{#-
    Fails with one row per difference between a model and an expected-output seed, compared as
    multisets (a row expected twice must appear twice) over `columns`. The seed's columns are
    cast to the model's column types, so a seed may hold '2024-03-01 10:00:00' or 'true' for a
    timestamp or boolean column. Extra seed columns (such as fixture_case, the comment saying
    which case a row covers) are ignored.
-#}
{% test equals_expected(model, expected, columns) %}
{%- set model_types = {} -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(model) -%}
        {%- do model_types.update({column.name | lower: column.data_type}) -%}
    {%- endfor -%}
{%- endif -%}

with actual as (
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        count(*) as row_count
    from {{ model }}
    group by {{ columns | join(', ') }}
),

wanted as (
    select
        {%- for column in columns %}
        cast({{ column }} as {{ model_types.get(column | lower, dbt.type_string()) }}) as {{ column }},
        {%- endfor %}
        count(*) as row_count
    from {{ expected }}
    group by {{ columns | join(', ') }}
),

missing as (
    select * from wanted
    except
    select * from actual
),

unexpected as (
    select * from actual
    except
    select * from wanted
),

final as (
    select 'expected but missing' as difference, * from missing
    union all
    select 'present but not expected' as difference, * from unexpected
)

select * from final
{% endtest %}
