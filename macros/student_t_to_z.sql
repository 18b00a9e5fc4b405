{#-
    Maps a Student t statistic with df degrees of freedom (df need not be an integer: Welch's
    df) to the standard normal deviate z with the same tail, so that the two-sided p-value
    P(|T| >= |t|) is 2 * normal_cdf(-z) - portable SQL for the t CDF that no engine has. Hill's
    approximation (G. W. Hill, "Algorithm 395: Student's t-distribution", CACM 13(10), 1970,
    its large-df branch, used here for every df):
    z = (1 + (((((-0.4 w - 3.3) w - 24) w - 85.5) / (0.8 w^2 + 100 + b) + w + 3) / b) sqrt(w),
    w = (df - 0.5) ln(1 + t^2 / df), b = 48 (df - 0.5)^2. z >= 0 (it is |t| that is mapped).
    Against scipy.stats.t.sf the absolute error of 2 * normal_cdf(-z) is below 1e-9 for
    df >= 10, 3e-6 for df >= 4, 2.5e-5 for df >= 3, 5e-4 for df >= 2; at df = 1 it reaches
    0.03 (Cauchy). Null when t or df is null or df < 1 (Welch's df is at least 1).

    `t` and `df` are repeated: pass columns, and compute normal_cdf of the result in a
    later CTE (the nested expression is otherwise too deep for parsers such as sqlfluff).
-#}
{% macro student_t_to_z(t, df) -%}
    {%- set n = "cast(" ~ df ~ " as " ~ type_double() ~ ")" -%}
    {%- set w = "((" ~ n ~ " - 0.5) * ln(1.0 + cast(" ~ t ~ " as " ~ type_double() ~ ") * " ~ t ~ " / " ~ n ~ "))" -%}
    {%- set b = "(48.0 * (" ~ n ~ " - 0.5) * (" ~ n ~ " - 0.5))" -%}
    cast(
        case
            when {{ t }} is null or {{ df }} is null or {{ df }} < 1 then null
            else (((((-0.4 * {{ w }} - 3.3) * {{ w }} - 24.0) * {{ w }} - 85.5)
                / (0.8 * {{ w }} * {{ w }} + 100.0 + {{ b }}) + {{ w }} + 3.0) / {{ b }} + 1.0)
                * sqrt({{ w }})
        end
        as {{ type_double() }}
    )
{%- endmacro %}
