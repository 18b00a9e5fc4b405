{#-
    dbt's grants (the marts' `+grants`, from var('bi_roles')) on Spark, which has no SQL
    grants (SHOW GRANTS does not parse): with no role to grant to, nothing to do, where dbt's
    own macro would first ask for the current grants and fail; with roles, an error saying
    that access on Spark is managed outside it (the catalog or the storage).
-#}
{% macro spark__apply_grants(relation, grant_config, should_revoke=True) -%}
    {%- set roles = [] -%}
    {%- for privilege, grantees in (grant_config or {}).items() -%}
        {%- do roles.extend([grantees] if grantees is string else grantees) -%}
    {%- endfor -%}
    {%- if roles -%}
        {{ exceptions.raise_compiler_error(
            'grants (var bi_roles: ' ~ roles | join(', ') ~ ') are not supported on Spark, '
            ~ 'which has no SQL grants: manage access to ' ~ relation ~ ' in its catalog '
            ~ 'or storage, and leave bi_roles empty.'
        ) }}
    {%- endif -%}
{%- endmacro %}
