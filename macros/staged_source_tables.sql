{#-
    The raw tables this project stages, with the models that screen and stage each and the
    column that identifies a row. The audit models (quarantine, row accounting) loop over this
    list, so a new source table is accounted for by adding one entry here.
-#}
{% macro staged_source_tables() -%}
    {{ return([
        {'source': 'segment', 'table': 'tracks', 'base': 'base_segment__tracks',
         'staged': 'stg_segment__tracks', 'row_id': 'event_id'},
        {'source': 'segment', 'table': 'pages', 'base': 'base_segment__pages',
         'staged': 'stg_segment__pages', 'row_id': 'event_id'},
        {'source': 'segment', 'table': 'identifies', 'base': 'base_segment__identifies',
         'staged': 'stg_segment__identifies', 'row_id': 'identify_id'},
        {'source': 'segment', 'table': 'groups', 'base': 'base_segment__groups',
         'staged': 'stg_segment__groups', 'row_id': 'group_call_id'},
        {'source': 'segment', 'table': 'experiment_viewed',
         'base': 'base_segment__experiment_viewed',
         'staged': 'stg_segment__experiment_viewed', 'row_id': 'event_id'},
        {'source': 'shop', 'table': 'orders', 'base': 'base_shop__orders',
         'staged': 'stg_shop__orders', 'row_id': 'order_id'},
        {'source': 'marketing', 'table': 'ad_spend', 'base': 'base_marketing__ad_spend',
         'staged': 'stg_marketing__ad_spend', 'row_id': 'ad_spend_id'},
    ]) }}
{%- endmacro %}
