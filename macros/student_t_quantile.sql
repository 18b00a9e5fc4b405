{#-
    The quantile of Student's t distribution with df degrees of freedom (df need not be an
    integer) at the probability whose standard normal quantile is z (e.g. 1.959963984540054
    for 0.975: the half-width multiplier of a 95% interval), in portable SQL. The
    Cornish-Fisher expansion of Abramowitz and Stegun 26.7.5 (terms up to 1 / df^4):
    t = z + g1(z) / df + g2(z) / df^2 + g3(z) / df^3 + g4(z) / df^4. For z = 1.96 the absolute
    error against scipy.stats.t.ppf is below 1e-5 for df >= 10, 3e-4 for df >= 5, 4e-3 at
    df = 3; it grows fast below (0.03 at df = 2). Null when df is null or df <= 0.

    `z` and `df` are repeated: pass columns or literals.
-#}
{% macro student_t_quantile(z, df) -%}
    {%- set z_ = "cast(" ~ z ~ " as " ~ type_double() ~ ")" -%}
    {%- set n = "cast(" ~ df ~ " as " ~ type_double() ~ ")" -%}
    cast(
        case
            when {{ df }} is null or {{ df }} <= 0 then null
            else {{ z_ }}
                + (power({{ z_ }}, 3) + {{ z_ }}) / 4.0 / {{ n }}
                + (5.0 * power({{ z_ }}, 5) + 16.0 * power({{ z_ }}, 3) + 3.0 * {{ z_ }})
                / 96.0 / power({{ n }}, 2)
                + (3.0 * power({{ z_ }}, 7) + 19.0 * power({{ z_ }}, 5)
                    + 17.0 * power({{ z_ }}, 3) - 15.0 * {{ z_ }})
                / 384.0 / power({{ n }}, 3)
                + (79.0 * power({{ z_ }}, 9) + 776.0 * power({{ z_ }}, 7)
                    + 1482.0 * power({{ z_ }}, 5) - 1920.0 * power({{ z_ }}, 3)
                    - 945.0 * {{ z_ }})
                / 92160.0 / power({{ n }}, 4)
        end
        as {{ type_double() }}
    )
{%- endmacro %}
