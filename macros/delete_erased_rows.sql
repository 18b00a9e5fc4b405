{#-
    Post-hook of the incremental models that store rows of a person (the Segment base models,
    int_anonymous_ids_linked, int_users_flagged_internal, int_timelines_changed): deletes the
    stored rows carrying an erased identity (stg_privacy__erased_identities). `id_columns` maps
    each of the model's id columns to what it holds: 'user_id', 'anonymous_id', 'timeline'
    (a timeline_key: an anonymous_id, or 'user:' and a user_id), or 'user_key' (a user_id, or
    the anonymous_id of a visitor never linked to a user).

    Runs only when an identity was erased after the model's last run (macro erased_since;
    `marker_column`: the run timestamp the model stamps on the rows it writes), so that a run
    without new erasures does not scan the stored rows; the delete itself is a scan of the
    stored rows for a short list of ids.
-#}
{% macro delete_erased_rows(id_columns, marker_column) -%}
    {%- if erased_since(marker_column) -%}
        {%- set erased = ref('stg_privacy__erased_identities') -%}
        {%- set condition -%}
        {%- for column, identity_type in id_columns.items() %}
            {{ 'or ' if not loop.first }}{{ column }} in (
                select
                {%- if identity_type == 'timeline' %}
                    case
                        when erased.identity_type = 'user_id' then 'user:' || erased.identity
                        else erased.identity
                    end
                {%- else %}
                    erased.identity
                {%- endif %}
                from {{ erased }} as erased
                {%- if identity_type not in ['timeline', 'user_key'] %}
                where erased.identity_type = '{{ identity_type }}'
                {%- endif %}
            )
        {%- endfor %}
        {%- endset -%}
        {{ delete_rows(condition) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
