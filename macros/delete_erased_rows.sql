{#-
    Post-hook of the incremental models that store rows of a person (the Segment base models,
    int_anonymous_ids_linked, int_users_flagged_internal, int_timelines_changed): deletes the
    stored rows carrying an erased identity (stg_privacy__erased_identities). `id_columns` maps
    each of the model's id columns to what it holds: 'user_id', 'anonymous_id', 'timeline'
    (a timeline_key: an anonymous_id, or 'user:' and a user_id), or 'user_key' (a user_id, or
    the anonymous_id of a visitor never linked to a user).

    Runs only when an identity was erased after the model's last run (`marker_column`: the
    run timestamp the model stamps on the rows it writes; this run's rows left out), so that a
    run without new erasures does not scan the stored rows; the delete itself is a scan of the
    stored rows for a short list of ids. A run that failed in between is caught up by the next
    one: the marker does not move until the model writes again.
-#}
{% macro delete_erased_rows(id_columns, marker_column) -%}
    {%- if execute and is_incremental() and model.resource_type != 'unit_test' -%}
        {%- set erased = ref('stg_privacy__erased_identities') -%}
        {%- set new_erasures -%}
            select count(*)
            from {{ erased }} as erased
            where erased.erased_at > (
                select coalesce(
                    max(stored.{{ marker_column }}),
                    cast('1900-01-01' as {{ dbt.type_timestamp() }})
                )
                from {{ this }} as stored
                where stored.{{ marker_column }} < {{ run_timestamp() }}
            )
        {%- endset -%}
        {%- if run_query(new_erasures).columns[0].values()[0] > 0 -%}
            delete from {{ this }}
            where
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
        {%- else -%}
            select 1
        {%- endif -%}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
