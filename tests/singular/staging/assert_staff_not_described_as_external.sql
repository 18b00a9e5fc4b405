{{ config(tags=['fixtures']) }}
-- No staging column calls an internal person's rows non-internal. A column named is_internal
-- reads as the per-person flag of the marts (dim_users.is_internal), so any such column of a
-- staging or base model (staged_source_tables()) must be true on every row of a user whose
-- identify email domain is in var('internal_email_domains'), and of the devices those users
-- identified on. Staging's seed-only flag is named is_listed_internal_user instead, so that
-- it cannot be read this way. Returns each offending row (model, id), and one row if the
-- fixtures have no email-domain staff row in staging at all (the test would prove nothing).
{%- set selects = [] %}
{%- for t in staged_source_tables() %}
{%- for name in [t.base, t.staged] %}
{%- set relation = ref(name) %}
{%- set columns = [] %}
{%- if execute %}
{%- for column in adapter.get_columns_in_relation(relation) %}
{%- do columns.append(column.name | lower) %}
{%- endfor %}
{%- endif %}
{%- if 'user_id' in columns %}
{%- set flag = 'is_internal' if 'is_internal' in columns else 'true' %}
{%- set device = 'anonymous_id' if 'anonymous_id' in columns else 'null' %}
{%- do selects.append(
    "select '" ~ name ~ "' as model_name, cast(" ~ t.row_id ~ " as "
    ~ dbt.type_string() ~ ") as row_id, coalesce(" ~ flag
    ~ ", false) as is_described_internal from " ~ relation
    ~ " where user_id in (select staff_users.user_id from staff_users) or "
    ~ device ~ " in (select staff_devices.anonymous_id from staff_devices)"
) %}
{%- endif %}
{%- endfor %}
{%- endfor %}

with identifies as (
    select * from {{ ref('stg_segment__identifies') }}
),

staff_users as (
    select distinct user_id
    from identifies
    where
        user_id is not null
        and lower(email_domain) in (
            {%- for domain in var('internal_email_domains') %}
            '{{ domain | lower }}'{{ ',' if not loop.last }}
            {%- endfor %}
        )
),

-- staff_devices is read by the selects generated above, which the linter does not see.
staff_devices as (  -- noqa: ST03
    select distinct identifies.anonymous_id
    from identifies
    inner join staff_users
        on identifies.user_id = staff_users.user_id
    where identifies.anonymous_id is not null
),

staff_rows as (
    {%- if selects %}
    {{ selects | join('\n    union all\n    ') }}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as {{ dbt.type_string() }}) as row_id,
        true as is_described_internal
    where false
    {%- endif %}
),

final as (
    select
        model_name,
        row_id,
        'described as non-internal' as problem
    from staff_rows
    where not is_described_internal
    union all
    select
        cast(null as {{ dbt.type_string() }}) as model_name,
        cast(null as {{ dbt.type_string() }}) as row_id,
        'no email-domain staff row in staging: the fixtures lost their case' as problem
    where not exists (select 1 from staff_rows)
)

select * from final
