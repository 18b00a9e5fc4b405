{#-
    Every non-null value of `column_name` is a channel the channel_rules seed can give: one of
    its fixed labels, fallback_channel() (no rule matched), or, when the seed has a rule whose
    channel is a placeholder of macro channel_placeholders ('{utm_source}'), the row's own value
    of that field (pass the model's columns holding them: utm_source_column,
    utm_medium_column). Unlike a fixed accepted_values list, a channel added to the seed is
    valid at once. Returns one row per invalid channel value, with its row count.
-#}
{% test channel_in_channel_rules(model, column_name, utm_source_column=none, utm_medium_column=none) %}
{%- set field_columns = {'utm_source': utm_source_column, 'utm_medium': utm_medium_column} %}

with rules as (
    select channel from {{ ref('channel_rules') }}
),

labels as (
    select channel from rules
    where channel not in (
        {%- for placeholder in channel_placeholders() %}
        '{{ placeholder }}'{{ ',' if not loop.last }}
        {%- endfor %}
    )
),

checked as (
    select
        {{ column_name }} as channel,
        case
            when {{ column_name }} = '{{ fallback_channel() }}' then true
            when {{ column_name }} in (select labels.channel from labels) then true
            {%- for placeholder, field in channel_placeholders().items() %}
            {%- if field_columns[field] %}
            when
                {{ column_name }} = {{ field_columns[field] }}
                and '{{ placeholder }}' in (select rules.channel from rules)
                then true
            {%- endif %}
            {%- endfor %}
            else false
        end as is_valid
    from {{ model }}
    where {{ column_name }} is not null
),

final as (
    select
        channel,
        count(*) as row_count
    from checked
    where not is_valid
    group by channel
)

select * from final
{% endtest %}
