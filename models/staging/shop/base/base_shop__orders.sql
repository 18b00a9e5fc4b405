{#-
    Every raw orders row, typed, with its quarantine reason (null when usable) and its delivery
    number among the usable rows of the same order id. Exact copies of a row are duplicates;
    rows that share an order id but disagree (say, completed in one copy and refunded in the
    other) cannot be told apart, so all of them are quarantined as conflicting_duplicate.
-#}
{%- set raw = raw_table('shop', 'orders') %}
{%- set raw_read = raw_columns('shop', 'orders') %}
{%- set raw_type = raw_read.types %}

with source as (
    select
        {{ raw_read.select }}
    from {{ raw }}
    {{ erased_rows_left_out(raw, ['user_id'], after_reprocess=false) }}
),

parsed as (
    select
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('user_id') }} as user_id,
        {{ try_cast_timestamp('created_at', raw_type.created_at) }} as ordered_at,
        lower({{ clean_text('status') }}) as status,
        {{ try_cast_decimal('revenue') }} as revenue,
        {{ clean_text('region') }} as region,
        revenue as raw_revenue
    from source
),

reasoned as (
    select
        *,
        {{ number_quarantine_reason('raw_revenue', 'revenue', 'revenue') }} as revenue_reason
    from parsed
),

-- The fingerprint hashes the cleaned values (and why the revenue is unusable, so that rows
-- sharing it share their reason), so that rows that differ only in how the raw text is
-- written (padding, '42.5' and '42.50', a time with or without its Z) are copies of one
-- order, not a conflict.
typed as (
    select
        order_id,
        user_id,
        ordered_at,
        status,
        revenue,
        region,
        revenue_reason,
        {{ row_fingerprint([
            'order_id', 'user_id', 'ordered_at', 'status', 'revenue', 'region', 'revenue_reason',
        ]) }} as row_fingerprint
    from reasoned
),

screened as (
    select
        *,
        case
            when order_id is null then 'missing_order_id'
            when user_id is null then 'missing_user_id'
            when ordered_at is null then 'no_usable_time'
            when ordered_at > {{ latest_plausible_at() }} then 'time_in_future'
            when ordered_at < {{ earliest_plausible_at() }} then 'time_before_floor'
            when status is null or status not in ('completed', 'cancelled', 'refunded')
                then 'invalid_status'
            when revenue_reason is not null then revenue_reason
        end as first_reason
    from typed
),

checked as (
    select
        *,
        {{ conflict_checked_reason('order_id') }} as quarantine_reason
    from screened
),

final as (
    select
        order_id,
        user_id,
        ordered_at,
        status,
        revenue,
        region,
        row_fingerprint,
        quarantine_reason,
        {{ copy_number(['order_id'], order_by='') }} as copy_number,
        {{ delivery_number(['order_id'], order_by='') }} as delivery_number
    from checked
)

select * from final
