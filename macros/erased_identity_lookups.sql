{#-
    Which device lookups stg_privacy__erased_identities runs, so that most runs scan nothing:
    {'raw': look for links to requested user_ids in the raw call tables (when any user_id is
    requested or stored as erased), 'stored': also in the base models' stored calls (when a
    user_id is requested that is not erased yet)}. Both in a unit test (no stored calls are
    read there) and when a command other than run or build compiles the model (the linter:
    the tables may not exist).
-#}
{% macro erased_identity_lookups() -%}
    {%- if not execute or model.resource_type == 'unit_test'
        or flags.WHICH not in ('run', 'build') -%}
        {{ return({'raw': true, 'stored': model.resource_type != 'unit_test'}) }}
    {%- endif -%}
    {%- set new_users -%}
        select count(*)
        from {{ ref('deletion_requests') }} as requests
        where
            {{ clean_text('requests.user_id') }} is not null
            {%- if is_incremental() %}
            and {{ clean_text('requests.user_id') }} not in (
                select stored.identity
                from {{ this }} as stored
                where stored.identity_type = 'user_id'
            )
            {%- endif %}
    {%- endset -%}
    {%- set stored = run_query(new_users).columns[0].values()[0] > 0 -%}
    {%- set erased_users = is_incremental() and run_query(
        "select count(*) from " ~ this ~ " where identity_type = 'user_id'"
    ).columns[0].values()[0] > 0 -%}
    {{ return({'raw': stored or erased_users, 'stored': stored}) }}
{%- endmacro %}
