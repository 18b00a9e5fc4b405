{#-
    The Segment call tables whose calls can carry both an anonymous_id and a user_id, and so
    link a device to a person: each base model staging one, with its raw table. Listed once for
    the erasure (stg_privacy__erased_identities finds the devices of a requested user_id in
    them, raw and as stored).
-#}
{% macro erased_identity_calls() -%}
    {{ return([
        {'table': 'identifies', 'base': 'base_segment__identifies'},
        {'table': 'tracks', 'base': 'base_segment__tracks'},
        {'table': 'pages', 'base': 'base_segment__pages'},
        {'table': 'groups', 'base': 'base_segment__groups'},
        {'table': 'experiment_viewed', 'base': 'base_segment__experiment_viewed'},
    ]) }}
{%- endmacro %}
