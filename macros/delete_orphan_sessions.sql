{#- Post-hook of fct_sessions: drops stored sessions that fct_events no longer has events for. -#}
{% macro delete_orphan_sessions() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where session_id not in (
            select session_id from {{ ref('fct_events') }}
            where session_id is not null
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
