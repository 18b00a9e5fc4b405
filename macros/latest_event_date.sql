{#-
    A query of one value: the reporting date of the latest event in fct_events (grain 'day'),
    or the first day of its week or month (grain 'week' / 'month', see
    reporting_period_start); or the first of the date vars `date_vars` that is set (see
    date_var), which overrides it. What the time-relative marts are taken as of; passed to
    as_of_moved to find when it moved.
-#}
{% macro latest_event_date(grain='day', date_vars=[]) -%}
    {%- for name in date_vars if date_var(name) is not none -%}
        {%- if loop.first %}
    select {{ date_var(name) }}
        {%- endif %}
    {%- else %}
    select
        {%- if grain == 'day' %}
        max(events.event_date)
        {%- else %}
        {{ reporting_period_start('max(events.event_at)', grain) }}
        {%- endif %}
    from {{ ref('fct_events') }} as events
    {%- endfor %}
{%- endmacro %}
