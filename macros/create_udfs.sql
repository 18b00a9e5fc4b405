{#-
    Installs the few engine functions that the project's portable macros need, in the target
    schema. Called from on-run-start; a no-op on engines that need none (DuckDB).
-#}
{% macro create_udfs() -%}
    {{ return(adapter.dispatch('create_udfs', 'growth_metrics')()) }}
{%- endmacro %}

{% macro default__create_udfs() -%}
    select 1
{%- endmacro %}

{% macro postgres__create_udfs() -%}
    create schema if not exists {{ target.schema }};
    create or replace function {{ target.schema }}.growth_try_cast_timestamp(value text)
    returns timestamp
    language plpgsql
    immutable
    set timezone = 'UTC'
    as $$
    begin
        if value !~ '{{ iso_timestamp_pattern() }}' then
            return null;
        end if;
        return cast(cast(value as timestamptz) as timestamp);
    exception when others then
        return null;
    end;
    $$;

    create or replace function {{ target.schema }}.growth_try_cast_numeric(value text)
    returns numeric
    language plpgsql
    immutable
    as $$
    begin
        return cast(value as {{ dbt.type_numeric() }});
    exception when others then
        return null;
    end;
    $$;

    create or replace function {{ target.schema }}.growth_url_decode(value text)
    returns text
    language plpgsql
    immutable
    as $$
    declare
        decoded text;
    begin
        select convert_from(
            string_agg(
                case
                    when piece.token[1] ~ '^%[0-9A-Fa-f]{2}$'
                        then decode(substring(piece.token[1] from 2), 'hex')
                    else convert_to(piece.token[1], 'UTF8')
                end,
                ''::bytea
                order by piece.position
            ),
            'UTF8'
        )
        into decoded
        from regexp_matches(replace(value, '+', ' '), '(%[0-9A-Fa-f]{2}|.)', 'g')
            with ordinality as piece (token, position);
        return coalesce(decoded, case when value is not null then '' end);
    exception when others then
        return replace(value, '+', ' ');
    end;
    $$;
{%- endmacro %}
