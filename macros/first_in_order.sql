{#-
    An aggregate: `value` on the group's first row in the order of `order_by` (a list of
    expressions, ascending; put a unique one last so that the row is determined), null
    included. What row_number() over (partition by ... order by ...) = 1 gives, without sorting
    the rows: a window over the 23M sessions of a 100M-event build is its slowest step.
-#}
{% macro first_in_order(value, order_by) -%}
    {{ return(adapter.dispatch('first_in_order', 'growth_metrics')(value, order_by)) }}
{%- endmacro %}

{% macro default__first_in_order(value, order_by) -%}
    (array_agg({{ value }} order by {{ order_by | join(', ') }}))[1]
{%- endmacro %}

{#- arg_min_null, unlike arg_min, does not skip a null value; the tuple orders as its fields. -#}
{% macro duckdb__first_in_order(value, order_by) -%}
    arg_min_null({{ value }}, ({{ order_by | join(', ') }}))
{%- endmacro %}

{#- min_by keeps a null value too; a struct orders as its fields. (Spark sorts a null key
    first where the other engines sort it last; the keys used here are never null.) -#}
{% macro spark__first_in_order(value, order_by) -%}
    min_by({{ value }}, struct({{ order_by | join(', ') }}))
{%- endmacro %}
