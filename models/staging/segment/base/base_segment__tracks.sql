{#-
    Every raw tracks row, typed, with its quarantine reason (null when usable) and its delivery
    number among the usable rows of the same message id (1 = the copy that is kept).
    Emails (and var('redaction_patterns')) are redacted from the URL, path, referrer,
    search, title and UTM columns on the way out (redact_personal_data): once per row, after
    the UTM values are URL-decoded.
    Incremental: see macro raw_rows_to_reprocess.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='row_fingerprint',
        incremental_predicates=[stored_rows_to_replace()],
        on_schema_change='fail',
        post_hook=[
            "{{ record_raw_source(raw_table('segment', 'tracks')) }}",
            "{{ delete_erased_rows({'anonymous_id': 'anonymous_id', 'user_id': 'user_id'}, 'staged_at') }}",
        ],
    )
}}

{%- set raw = raw_table('segment', 'tracks') %}
{%- do check_raw_source_unchanged(raw) %}
{%- set raw_read = raw_columns('segment', 'tracks') %}
{%- set raw_type = raw_read.types %}
{%- set row_locator = raw_row_locator(raw) %}

with source as {{ inline_cte() }} (
    select
        {{ row_locator or 'null' }} as raw_row_locator,
        {{ raw_read.select }}
    from {{ raw }}
    {{ raw_rows_to_reprocess(raw, raw_type.received_at) }}
    {{ erased_rows_left_out(raw, ['anonymous_id', 'user_id']) }}
),

typed as {{ inline_cte() }} (
    select
        raw_row_locator,
        {{ clean_text('id') }} as event_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('user_id') }} as user_id,
        coalesce({{ clean_text('event') }}, {{ clean_text('event_text') }}) as raw_event_name,
        {{ clean_text('event_text') }} as event_text,
        {{ clean_text('context_page_url') }} as page_url,
        coalesce(
            {{ clean_text('context_page_path') }},
            case
                when {{ clean_text('context_page_path') }} is null
                    then {{ url_path(clean_text('context_page_url')) }}
            end
        ) as page_path,
        {{ clean_text('context_page_referrer') }} as page_referrer,
        {{ utm_columns('context_page_url') }},
        {{ clean_text('context_user_agent') }} as user_agent,
        {{ clean_text('context_library_name') }} as library_name,
        {{ clean_text('context_timezone') }} as device_timezone,
        {{ try_cast_timestamp(adapter.quote('timestamp'), raw_type.timestamp) }} as timestamp_at,
        {{ try_cast_timestamp('original_timestamp', raw_type.original_timestamp) }}
            as original_timestamp_at,
        {{ try_cast_timestamp('sent_at', raw_type.sent_at) }} as sent_at,
        {{ try_cast_timestamp('received_at', raw_type.received_at) }} as received_at,
        {{ row_fingerprint([
            'id', 'anonymous_id', 'user_id', 'event', 'event_text', adapter.quote('timestamp'),
            'original_timestamp', 'sent_at', 'received_at', 'context_ip', 'context_user_agent',
            'context_library_name', 'context_page_url', 'context_page_path',
            'context_page_referrer', 'context_campaign_source', 'context_campaign_medium',
            'context_campaign_name', 'context_campaign_term', 'context_campaign_content',
            'context_timezone',
        ]) }} as row_fingerprint
    from source
),

-- Each distinct raw name normalized once: three regular expressions per row were most of a
-- full build's time here (a handful of names, millions of rows).
event_names as (
    select
        raw_event_name,
        {{ normalize_event_name('raw_event_name') }} as event_name
    from (select distinct typed.raw_event_name from typed) as distinct_names
),

timed as {{ inline_cte() }} (
    select
        typed.*,
        event_names.event_name,
        {{ segment_time_columns(
            'typed.timestamp_at', 'typed.original_timestamp_at', 'typed.sent_at',
            'typed.received_at'
        ) }}
    from typed
    left join event_names
        on typed.raw_event_name = event_names.raw_event_name
),

screened as {{ inline_cte() }} (
    select
        *,
        case
            when event_id is null then 'missing_message_id'
            when anonymous_id is null and user_id is null then 'missing_identity'
            {{ segment_time_checks('event_at', 'received_at') }}
            when raw_event_name is null then 'missing_event_name'
            when event_name is null then 'event_name_without_letters'
        end as quarantine_reason
    from timed
),

{{ numbered_copies('screened', ['event_id'], row_locator) }},

bot_user_agents as (
    {{ bot_user_agents('screened') }}
),

final as (
    select
        numbered.event_id,
        numbered.anonymous_id,
        numbered.user_id,
        numbered.event_name,
        numbered.event_text,
        {{ redact_personal_data('numbered.page_url') }} as page_url,
        {{ redact_personal_data('numbered.page_path') }} as page_path,
        {{ redact_personal_data('numbered.page_referrer') }} as page_referrer,
        {{ redact_personal_data('numbered.utm_source') }} as utm_source,
        {{ redact_personal_data('numbered.utm_medium') }} as utm_medium,
        {{ redact_personal_data('numbered.utm_campaign') }} as utm_campaign,
        {{ redact_personal_data('numbered.utm_term') }} as utm_term,
        {{ redact_personal_data('numbered.utm_content') }} as utm_content,
        numbered.user_agent,
        numbered.library_name,
        numbered.device_timezone,
        numbered.row_fingerprint,
        numbered.event_at_source,
        numbered.quarantine_reason,
        numbered.copy_number,
        numbered.delivery_number,
        numbered.is_future_clock_corrected,
        bot_user_agents.user_agent is not null as is_bot,
        {{ is_internal_user_id('numbered.user_id') }} as is_listed_internal_user,
        numbered.event_at,
        numbered.timestamp_at,
        numbered.original_timestamp_at,
        numbered.sent_at,
        numbered.received_at
    from numbered
    left join bot_user_agents
        on numbered.user_agent = bot_user_agents.user_agent
)

{{ staged_rows('final') }}
