{#-
    Every raw identifies row, typed, with its quarantine reason (null when usable) and its
    delivery number among the usable rows of the same message id (1 = the copy that is kept).
    The email is reduced here to a keyed hash and a domain (both null unless the value is a
    well-formed address: see parse_email and email_hash): no raw email leaves this model.
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
            "{{ record_raw_source(raw_table('segment', 'identifies')) }}",
            "{{ delete_erased_rows({'anonymous_id': 'anonymous_id', 'user_id': 'user_id'}, 'staged_at') }}",
        ],
    )
}}

{%- set raw = raw_table('segment', 'identifies') %}
{%- do check_raw_source_unchanged(raw) %}
{%- set raw_read = raw_columns('segment', 'identifies') %}
{%- set raw_type = raw_read.types %}

with source as (
    select
        {{ raw_read.select }}
    from {{ raw }}
    {{ raw_rows_to_reprocess(raw, raw_type.received_at) }}
    {{ erased_rows_left_out(raw, ['anonymous_id', 'user_id']) }}
),

typed as (
    select
        {{ clean_text('id') }} as identify_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('user_id') }} as user_id,
        {{ parse_email(clean_text('email')) }} as normalized_email,
        {{ clean_text('region') }} as region,
        {{ clean_text('heard_about') }} as heard_about,
        {{ try_cast_timestamp('created_at', raw_type.created_at) }} as user_created_at,
        {{ clean_text('context_user_agent') }} as user_agent,
        {{ try_cast_timestamp(adapter.quote('timestamp'), raw_type.timestamp) }} as timestamp_at,
        {{ try_cast_timestamp('original_timestamp', raw_type.original_timestamp) }}
            as original_timestamp_at,
        {{ try_cast_timestamp('sent_at', raw_type.sent_at) }} as sent_at,
        {{ try_cast_timestamp('received_at', raw_type.received_at) }} as received_at,
        {{ row_fingerprint([
            'id', 'anonymous_id', 'user_id', 'email', 'name', 'region', 'heard_about',
            'created_at', adapter.quote('timestamp'), 'original_timestamp', 'sent_at',
            'received_at', 'context_ip', 'context_user_agent',
        ]) }} as row_fingerprint
    from source
),

timed as (
    select
        identify_id,
        anonymous_id,
        user_id,
        {{ email_hash('normalized_email') }} as email_hash,
        {{ dbt.split_part('normalized_email', "'@'", -1) }} as email_domain,
        region,
        heard_about,
        user_created_at,
        user_agent,
        timestamp_at,
        original_timestamp_at,
        sent_at,
        received_at,
        row_fingerprint,
        {{ segment_time_columns(
            'timestamp_at', 'original_timestamp_at', 'sent_at', 'received_at'
        ) }}
    from typed
),

screened as (
    select
        *,
        case
            when identify_id is null then 'missing_message_id'
            when anonymous_id is null and user_id is null then 'missing_identity'
            {{ segment_time_checks('event_at', 'received_at') }}
        end as quarantine_reason
    from timed
),

{{ numbered_copies('screened', ['identify_id']) }},

final as (
    select
        *,
        {{ is_bot_user_agent('user_agent') }} as is_bot,
        {{ is_internal_user_id('user_id') }} as is_listed_internal_user,
        coalesce(email_domain in (
            {%- for domain in var('internal_email_domains') %}
            '{{ domain | lower }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ), false) as has_internal_email_domain
    from numbered
)

{{ staged_rows('final') }}
