{#-
    Every raw pages row, typed, with its quarantine reason (null when usable) and its delivery
    number among the usable rows of the same message id (1 = the copy that is kept).
    Incremental: see macro raw_rows_to_reprocess.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='row_fingerprint',
        on_schema_change='fail',
    )
}}

{%- set raw_type = relation_column_types(raw_table('segment', 'pages')) %}

with source as (
    select * from {{ raw_table('segment', 'pages') }}
    {{ raw_rows_to_reprocess(raw_table('segment', 'pages'), raw_type.received_at) }}
),

typed as (
    select
        {{ clean_text('id') }} as event_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('name') }} as page_name,
        {{ clean_text('url') }} as page_url,
        coalesce(
            {{ clean_text('path') }},
            case
                when {{ clean_text('path') }} is null then {{ url_path(clean_text('url')) }}
            end
        ) as page_path,
        {{ clean_text('referrer') }} as page_referrer,
        {{ clean_text('title') }} as page_title,
        {{ clean_text('search') }} as page_search,
        {{ utm_columns('url') }},
        {{ clean_text('context_user_agent') }} as user_agent,
        {{ clean_text('context_library_name') }} as library_name,
        {{ clean_text('context_timezone') }} as device_timezone,
        {{ try_cast_timestamp(adapter.quote('timestamp'), raw_type.timestamp) }} as timestamp_at,
        {{ try_cast_timestamp('original_timestamp', raw_type.original_timestamp) }}
            as original_timestamp_at,
        {{ try_cast_timestamp('sent_at', raw_type.sent_at) }} as sent_at,
        {{ try_cast_timestamp('received_at', raw_type.received_at) }} as received_at,
        {{ row_fingerprint([
            'id', 'anonymous_id', 'user_id', 'name', 'url', 'path', 'referrer', 'title',
            'search', adapter.quote('timestamp'), 'original_timestamp', 'sent_at', 'received_at',
            'context_ip', 'context_user_agent', 'context_library_name', 'context_campaign_source',
            'context_campaign_medium', 'context_campaign_name', 'context_campaign_term',
            'context_campaign_content', 'context_timezone',
        ]) }} as row_fingerprint
    from source
),

timed as (
    select
        *,
        {{ segment_time_columns(
            'timestamp_at', 'original_timestamp_at', 'sent_at', 'received_at'
        ) }}
    from typed
),

screened as (
    select
        *,
        case
            when event_id is null then 'missing_message_id'
            when anonymous_id is null and user_id is null then 'missing_identity'
            when event_at is null then 'no_usable_time'
        end as quarantine_reason
    from timed
),

final as (
    select
        *,
        {{ copy_number(['event_id']) }} as copy_number,
        {{ delivery_number(['event_id']) }} as delivery_number,
        {{ is_bot_user_agent('user_agent') }} as is_bot,
        {{ is_internal_user_id('user_id') }} as is_internal
    from screened
)

select * from final
