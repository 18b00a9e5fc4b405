{#-
    How many steps fct_funnel_steps unrolls its step loop to: the deepest funnel of the
    funnel_steps seed, at least 2 and at most var('funnel_max_steps') (a deeper funnel fails
    the test assert_funnel_steps_valid). Each unrolled step adds joins to the model's plan, so
    unrolling to the cap when every funnel is shorter only costs. Read from the built seed;
    the cap when the seed is not built yet (parsing, linting) and in unit tests, whose
    funnel_steps rows are not in the warehouse.
-#}
{% macro funnel_depth() -%}
    {%- set cap = var('funnel_max_steps') | int -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(cap) }}
    {%- endif -%}
    {%- set seed = load_relation(ref('funnel_steps')) -%}
    {%- if seed is none -%}
        {{ return(cap) }}
    {%- endif -%}
    {%- set deepest = run_query('select max(step_number) from ' ~ seed).columns[0].values()[0] -%}
    {{ return([2, [cap, (deepest or 2) | int] | min] | max) }}
{%- endmacro %}
