{#-
    Every raw groups row, typed, with its quarantine reason (null when usable) and its delivery
    number among the usable rows of the same message id (1 = the copy that is kept).
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
            "{{ record_raw_source(raw_table('segment', 'groups')) }}",
            "{{ delete_erased_rows({'anonymous_id': 'anonymous_id', 'user_id': 'user_id'}, 'staged_at') }}",
        ],
    )
}}

{%- set raw = raw_table('segment', 'groups') %}
{%- do check_raw_source_unchanged(raw) %}
{%- set raw_read = raw_columns('segment', 'groups') %}
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
        {{ clean_text('id') }} as group_call_id,
        {{ clean_text('anonymous_id') }} as anonymous_id,
        {{ clean_text('user_id') }} as user_id,
        {{ clean_text('group_id') }} as account_id,
        {{ clean_text('name') }} as account_name,
        lower({{ clean_text('plan') }}) as plan,
        {{ try_cast_timestamp(adapter.quote('timestamp'), raw_type.timestamp) }} as timestamp_at,
        {{ try_cast_timestamp('original_timestamp', raw_type.original_timestamp) }}
            as original_timestamp_at,
        {{ try_cast_timestamp('sent_at', raw_type.sent_at) }} as sent_at,
        {{ try_cast_timestamp('received_at', raw_type.received_at) }} as received_at,
        {{ row_fingerprint([
            'id', 'anonymous_id', 'user_id', 'group_id', 'name', 'plan',
            adapter.quote('timestamp'), 'original_timestamp', 'sent_at', 'received_at',
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
            when group_call_id is null then 'missing_message_id'
            when anonymous_id is null and user_id is null then 'missing_identity'
            {{ segment_time_checks('event_at', 'received_at') }}
            when account_id is null then 'missing_group_id'
        end as quarantine_reason
    from timed
),

{{ numbered_copies('screened', ['group_call_id']) }},

final as (
    select
        *,
        {{ is_internal_user_id('user_id') }} as is_listed_internal_user
    from numbered
)

{{ staged_rows('final') }}
