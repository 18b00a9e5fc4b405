{#-
    The standard normal cumulative distribution function Phi(x) = P(Z <= x), in portable SQL
    (neither engine has erf). Hart's 1968 rational approximation as given by G. West, "Better
    approximations to cumulative normal functions" (2005): for |x| < 7.0711 a ratio of
    polynomials times exp(-x^2 / 2), beyond it a continued fraction. Against scipy the absolute
    error is below 3e-16 everywhere and the relative error of the smaller tail below 1e-8, so
    2 * normal_cdf(-abs(z)) is an accurate two-sided p-value even far in the tail. 0 (or 1)
    beyond |x| = 37, where the tail is below 1e-300; null for null.

    `x` is repeated many times in the expression: pass a column or a cheap expression.
-#}
{% macro normal_cdf(x) -%}
    {%- set a = "least(abs(cast(" ~ x ~ " as " ~ type_double() ~ ")), 37.0)" -%}
    {%- set tail -%}
        case
            when abs({{ x }}) > 37 then 0.0
            when {{ a }} < 7.07106781186547
                then exp(-{{ a }} * {{ a }} / 2.0) * (((((
                    (0.0352624965998911 * {{ a }} + 0.700383064443688) * {{ a }}
                    + 6.37396220353165) * {{ a }}
                    + 33.912866078383) * {{ a }}
                    + 112.079291497871) * {{ a }}
                    + 221.213596169931) * {{ a }}
                    + 220.206867912376)
                / ((((((
                    (0.0883883476483184 * {{ a }} + 1.75566716318264) * {{ a }}
                    + 16.064177579207) * {{ a }}
                    + 86.7807322029461) * {{ a }}
                    + 296.564248779674) * {{ a }}
                    + 637.333633378831) * {{ a }}
                    + 793.826512519948) * {{ a }}
                    + 440.413735824752)
            else exp(-{{ a }} * {{ a }} / 2.0) / (
                {{ a }} + 1.0 / ({{ a }} + 2.0 / ({{ a }} + 3.0 / ({{ a }} + 4.0 / ({{ a }} + 0.65))))
            ) / 2.506628274631
        end
    {%- endset -%}
    cast(
        case
            when {{ x }} is null then null
            when {{ x }} > 0 then 1.0 - ({{ tail }})
            else {{ tail }}
        end
        as {{ type_double() }}
    )
{%- endmacro %}
