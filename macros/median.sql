{#- The median of `expression` over the group (continuous: the mean of the two middle values
    when the count is even; nulls ignored; null for an empty group). -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'growth_metrics')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}
