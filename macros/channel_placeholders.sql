{#-
    Channel values of the channel_rules seed that name a field of the session instead of a
    fixed label: a rule whose channel is '{utm_source}' gives the session's utm_source as its
    channel (lowercased, as staged), '{utm_medium}' its utm_medium. Returns a dict placeholder
    -> column name, read by macro channel_rule_matches and the generic test
    channel_in_channel_rules.
-#}
{% macro channel_placeholders() -%}
    {{ return({'{utm_source}': 'utm_source', '{utm_medium}': 'utm_medium'}) }}
{%- endmacro %}
