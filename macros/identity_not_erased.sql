{#-
    True when `expression` (a raw or staged id, cleaned here as staging cleans ids) is not an
    erased identity of `identity_type` ('user_id' or 'anonymous_id'; see
    stg_privacy__erased_identities). A null id is not erased.
-#}
{% macro identity_not_erased(expression, identity_type) -%}
    coalesce({{ clean_text(expression) }}, '') not in (
        select erased.identity
        from {{ ref('stg_privacy__erased_identities') }} as erased
        where erased.identity_type = '{{ identity_type }}'
    )
{%- endmacro %}
