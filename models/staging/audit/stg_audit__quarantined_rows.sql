{#- Every raw row that could not be used, from every staged source table, with its reason. -#}
{%- set tables = staged_source_tables() %}

with
{% for t in tables %}
{{ t.source }}_{{ t.table }} as (
    select
        '{{ t.source }}.{{ t.table }}' as source_table,
        cast({{ t.row_id }} as {{ dbt.type_string() }}) as row_id,
        quarantine_reason,
        row_fingerprint,
        copy_number
    from {{ ref(t.base) }}
    where quarantine_reason is not null
),

{% endfor -%}
unioned as (
    {%- for t in tables %}
    select * from {{ t.source }}_{{ t.table }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ surrogate_key(['source_table', 'row_fingerprint', 'copy_number']) }}
            as quarantined_row_id,
        source_table,
        row_id,
        quarantine_reason,
        row_fingerprint,
        copy_number
    from unioned
)

select * from final
