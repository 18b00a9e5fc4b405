{#-
    One row per staged source table: how many raw rows it has and where each went. The raw
    count is read from the source table itself, the others from the models that hold the rows,
    so a row lost between them shows as an imbalance. Raw rows of erased identities (see
    stg_privacy__erased_identities) are counted on the raw table too: no model holds them.
-#}
{%- set tables = staged_source_tables() %}

with
{% for t in tables %}
{%- set raw = raw_table(t.source, t.table) %}
{#- The identity columns of the table's contract, as the raw table has them. -#}
{%- set raw_ids = ['anonymous_id', 'user_id'] if t.source == 'segment' else ['user_id'] %}
{%- if execute %}
    {%- set raw_ids = raw_contract(t.source, t.table) | map(attribute='name')
        | select('in', ['anonymous_id', 'user_id']) | list %}
{%- endif %}
{%- set raw_ids = raw_identity_columns(raw, raw_ids) %}
{{ t.source }}_{{ t.table }} as (
    select
        '{{ t.source }}.{{ t.table }}' as source_table,
        (select count(*) from {{ raw }}) as raw_rows,
        (select count(*) from {{ ref(t.staged) }}) as staged_rows,
        (
            select count(*) from {{ ref(t.base) }}
            where quarantine_reason is null and delivery_number > 1
        ) as duplicate_rows,
        (
            select count(*) from {{ ref('stg_audit__quarantined_rows') }}
            where source_table = '{{ t.source }}.{{ t.table }}'
        ) as quarantined_rows,
        (
            select count(*) from {{ raw }}
            {%- if raw_ids %}
            where not (
                {%- for column in raw_ids %}
                {{ 'and ' if not loop.first }}{{ identity_not_erased(column, column) }}
                {%- endfor %}
            )
            {%- else %}
            where false
            {%- endif %}
        ) as erased_rows
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
        erased_rows,
        raw_rows - staged_rows - duplicate_rows - quarantined_rows - erased_rows
            as unaccounted_rows
    from unioned
)

select * from final
