{#-
    The user_key of a call (the identity rule, written once): its own user_id; else the first
    user_id ever linked to its anonymous_id (`links`: int_anonymous_ids_linked joined on the
    anonymous_id); else the anonymous_id.
-#}
{% macro keyed_user(call, links) -%}
    coalesce({{ call }}.user_id, {{ links }}.user_id, {{ call }}.anonymous_id)
{%- endmacro %}
