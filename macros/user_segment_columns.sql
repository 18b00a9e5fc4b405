{#-
    The segment label and flags of a signed-up user as of a moment, as select expressions
    (segment, core_active_days_in_window, is_power_user, is_churn_risk_short_term,
    is_churn_risk_long_term), in the marts' column order. Arguments
    are SQL expressions: the as-of moment (UTC, exclusive: the end of the as-of day), the
    user's signup, first activation and last core action before that moment (nulls when
    none), and their days with a core action in the power-user window.

    - is_power_user: activated, and core_active_days >= var('power_user_min_active_days').
    - is_churn_risk_short_term: signed up more than var('churn_risk_activation_hours') hours
      before the as-of moment, and not activated within that many hours of signup
      (activation exactly at the limit is in time).
    - is_churn_risk_long_term: the later of the last core action and signup is more than
      var('churn_risk_inactive_days') x 24 h before the as-of moment.
    - segment, by priority: power_user, churn_risk_long_term, churn_risk_short_term, new
      (signed up no more than the activation hours before the as-of moment), casual.
-#}
{% macro user_segment_columns(as_of_end_at, signed_up_at, activated_at, last_core_action_at, core_active_days) -%}
    {%- set hours = var('churn_risk_activation_hours') | int -%}
    {%- set inactive_hours = (var('churn_risk_inactive_days') | int) * 24 -%}
    {%- set power = "(" ~ activated_at ~ " is not null and " ~ core_active_days ~ " >= "
        ~ (var('power_user_min_active_days') | int) ~ ")" -%}
    {%- set signup_settled = "(" ~ signed_up_at ~ " < "
        ~ dbt.dateadd('hour', -1 * hours, as_of_end_at) ~ ")" -%}
    {%- set short_term = "(" ~ signup_settled ~ " and (" ~ activated_at ~ " is null or "
        ~ activated_at ~ " > " ~ dbt.dateadd('hour', hours, signed_up_at) ~ "))" -%}
    {%- set last_seen_at = "case when " ~ last_core_action_at ~ " > " ~ signed_up_at ~ " then "
        ~ last_core_action_at ~ " else " ~ signed_up_at ~ " end" -%}
    {%- set long_term = "(" ~ last_seen_at ~ " < "
        ~ dbt.dateadd('hour', -1 * inactive_hours, as_of_end_at) ~ ")" -%}
    case
        when {{ power }} then 'power_user'
        when {{ long_term }} then 'churn_risk_long_term'
        when {{ short_term }} then 'churn_risk_short_term'
        when not {{ signup_settled }} then 'new'
        else 'casual'
    end as segment,
    cast({{ core_active_days }} as {{ dbt.type_bigint() }}) as core_active_days_in_window,
    {{ power }} as is_power_user,
    {{ short_term }} as is_churn_risk_short_term,
    {{ long_term }} as is_churn_risk_long_term
{%- endmacro %}
