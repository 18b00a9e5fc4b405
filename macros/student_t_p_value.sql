{#-
    Two-sided p-value of Student's t distribution, P(|T| >= |t|) with df degrees of freedom
    (df need not be an integer: Welch's df), in portable SQL (no engine has a t CDF). Hill's
    normal approximation (G. W. Hill, "Algorithm 395: Student's t-distribution", CACM 13(10),
    1970, its large-df branch, used here for every df): t is mapped to a normal deviate
    y = (1 + (((((-0.4 w - 3.3) w - 24) w - 85.5) / (0.8 w^2 + 100 + b) + w + 3) / b) sqrt(w),
    w = (df - 0.5) ln(1 + t^2 / df), b = 48 (df - 0.5)^2, and p = 2 Phi(-y) (normal_cdf).
    Against scipy.stats.t.sf the absolute error of p is below 1e-9 for df >= 10, 3e-6 for
    df >= 4, 2.5e-5 for df >= 3, 5e-4 for df >= 2; at df = 1 it reaches 0.03 (Cauchy).
    Null when t or df is null or df < 1 (Welch's df is at least 1).

    `t` and `df` are repeated: pass columns or cheap expressions.
-#}
{% macro student_t_p_value(t, df) -%}
    {%- set w = "((cast(" ~ df ~ " as double precision) - 0.5) * ln(1.0 + cast(" ~ t ~ " as double precision) * " ~ t ~ " / " ~ df ~ "))" -%}
    {%- set b = "(48.0 * (cast(" ~ df ~ " as double precision) - 0.5) * (" ~ df ~ " - 0.5))" -%}
    {%- set y -%}
        ((((((-0.4 * {{ w }} - 3.3) * {{ w }} - 24.0) * {{ w }} - 85.5)
        / (0.8 * {{ w }} * {{ w }} + 100.0 + {{ b }}) + {{ w }} + 3.0) / {{ b }} + 1.0)
        * sqrt({{ w }}))
    {%- endset -%}
    cast(
        case
            when {{ t }} is null or {{ df }} is null or {{ df }} < 1 then null
            else 2 * {{ normal_cdf('-' ~ y) }}
        end
        as double precision
    )
{%- endmacro %}
