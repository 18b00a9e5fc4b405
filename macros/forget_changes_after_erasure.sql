{#-
    Post-hook of int_funnel_entities_changed: when an identity was erased since the model's
    last run, deletes the lists of the earlier runs (they hold the erased person's user and
    account keys, which are recorded nowhere else any more to find them by). Nothing needs
    them: after an erasure fct_funnel_steps recomputes every entity (macro
    funnel_steps_recompute_all), and this run's list names no erased identity.
-#}
{% macro forget_changes_after_erasure() -%}
    {%- if erased_since() -%}
        {{ delete_rows('processed_at < ' ~ run_timestamp()) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
