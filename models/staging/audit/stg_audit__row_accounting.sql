{#-
    One row per staged source table: how many raw rows it has and where each went. The raw
    count is read from the source table itself, the others from the models that hold the rows,
    so a row lost between them shows as an imbalance.
-#}
{%- set tables = staged_source_tables() %}

with
{% for t in tables %}
{{ t.source }}_{{ t.table }} as (
    select
        '{{ t.source }}.{{ t.table }}' as source_table,
        (select count(*) from {{ raw_table(t.source, t.table) }}) as raw_rows,
        (select count(*) from {{ ref(t.staged) }}) as staged_rows,
        (
            select count(*) from {{ ref(t.base) }}
            where quarantine_reason is null and delivery_number > 1
        ) as duplicate_rows,
        (
            select count(*) from {{ ref('stg_audit__quarantined_rows') }}
            where source_table = '{{ t.source }}.{{ t.table }}'
        ) as quarantined_rows
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
        source_table,
        raw_rows,
        staged_rows,
        duplicate_rows,
        quarantined_rows,
        raw_rows - staged_rows - duplicate_rows - quarantined_rows as unaccounted_rows
    from unioned
)

select * from final
