{#-
    The plans of a list var (account_trial_plans or account_paid_plans, named by `var_name`)
    as a comma-separated list of quoted, lowercased literals, for `plan in (...)` (the
    staged plan trait is lowercased). Anything but a non-empty list of strings is a compile
    error naming the var.
-#}
{% macro account_plan_list(var_name) -%}
    {%- set plans = var(var_name) -%}
    {%- if plans is string or plans is mapping or plans is not iterable or plans | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "var('" ~ var_name ~ "') must be a non-empty list of plan names, got " ~ plans
        ) }}
    {%- endif -%}
    {%- for plan in plans -%}
        '{{ plan | string | lower | replace("'", "''") }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
