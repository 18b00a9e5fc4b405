{#- The channel of every (utm_source, utm_medium, referrer_host) combination in `sources`, a
    relation or CTE name with those three columns (distinct rows), by the channel_rules seed:
    the lowest-numbered rule whose every non-blank condition matches (regular expressions).
    A rule's channel is a fixed label, or a placeholder of macro channel_placeholders
    ('{utm_source}', '{utm_medium}'): the combination's own value of that field, and such a
    rule matches only combinations where that field is not null.
    Returns a select of utm_source, utm_medium, referrer_host, channel for the combinations
    that some rule matches; a combination no rule matches gets fallback_channel() (coalesce
    after the join, which must use `is not distinct from`: the fields are often null). Pass a
    null referrer_host for things that have none (ad spend rows). -#}
{% macro channel_rule_matches(sources) -%}
    {%- set placeholders = channel_placeholders() %}
    select
        utm_source,
        utm_medium,
        referrer_host,
        channel
    from (
        select
            sources.utm_source,
            sources.utm_medium,
            sources.referrer_host,
            case channel_rules.channel
                {%- for placeholder, column in placeholders.items() %}
                when '{{ placeholder }}' then sources.{{ column }}
                {%- endfor %}
                else channel_rules.channel
            end as channel,
            row_number() over (
                partition by sources.utm_source, sources.utm_medium, sources.referrer_host
                order by channel_rules.rule_number
            ) as match_rank
        from {{ sources }} as sources
        inner join {{ ref('channel_rules') }} as channel_rules
            on
                (
                    channel_rules.utm_source_regex is null
                    or {{ regexp_like('sources.utm_source', 'channel_rules.utm_source_regex') }}
                )
                and (
                    channel_rules.utm_medium_regex is null
                    or {{ regexp_like('sources.utm_medium', 'channel_rules.utm_medium_regex') }}
                )
                and (
                    channel_rules.referrer_host_regex is null
                    or {{ regexp_like('sources.referrer_host', 'channel_rules.referrer_host_regex') }}
                )
                {%- for placeholder, column in placeholders.items() %}
                and (channel_rules.channel <> '{{ placeholder }}' or sources.{{ column }} is not null)
                {%- endfor %}
    ) as ranked_rules
    where match_rank = 1
{%- endmacro %}
