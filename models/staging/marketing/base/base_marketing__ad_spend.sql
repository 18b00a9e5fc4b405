{#-
    Every raw ad_spend row, typed, with its quarantine reason (null when usable) and its
    delivery number among the usable rows of the same day and campaign. Exact copies are
    duplicates; rows that share a day and campaign but disagree on spend are all quarantined
    as conflicting_duplicate (which one is right cannot be told).
-#}
{%- set raw = raw_table('marketing', 'ad_spend') %}
{%- set raw_read = raw_columns('marketing', 'ad_spend') %}
{%- set raw_type = raw_read.types %}

with source as (
    select
        {{ raw_read.select }}
    from {{ raw }}
),

parsed as (
    select
        cast(
            {{ try_cast_timestamp(adapter.quote('date'), raw_type.date) }} as date
        ) as spend_date,
        lower({{ clean_text('utm_source') }}) as utm_source,
        lower({{ clean_text('utm_medium') }}) as utm_medium,
        lower({{ clean_text('utm_campaign') }}) as utm_campaign,
        {{ try_cast_decimal('spend') }} as spend,
        {{ clean_text(adapter.quote('date')) }} is null as is_date_missing,
        spend as raw_spend
    from source
),

reasoned as (
    select
        *,
        {{ number_quarantine_reason('raw_spend', 'spend', 'spend') }} as spend_reason
    from parsed
),

-- The fingerprint hashes the cleaned values (and why the date or spend is unusable, so that
-- rows sharing it share their reason): rows that differ only in how the raw text is written
-- (padding, letter case, '45' and '45.00') are copies, not a conflict.
typed as (
    select
        spend_date,
        utm_source,
        utm_medium,
        utm_campaign,
        spend,
        is_date_missing,
        spend_reason,
        {{ row_fingerprint([
            'spend_date', 'utm_source', 'utm_medium', 'utm_campaign', 'spend', 'is_date_missing',
            'spend_reason',
        ]) }} as row_fingerprint
    from reasoned
),

keyed as (
    select
        *,
        {{ surrogate_key(['spend_date', 'utm_source', 'utm_medium', 'utm_campaign']) }}
            as ad_spend_id
    from typed
),

-- A spend date is a day of the ad account's time zone, up to a day ahead of UTC: it is in
-- the future when later than the UTC date of latest_plausible_at() plus one day.
screened as (
    select
        *,
        case
            when is_date_missing then 'missing_date'
            when spend_date is null then 'unparseable_date'
            when
                spend_date > {{ dbt.dateadd(
                    'day', 1, 'cast(' ~ latest_plausible_at() ~ ' as date)'
                ) }}
                then 'time_in_future'
            when spend_date < cast({{ earliest_plausible_at() }} as date)
                then 'time_before_floor'
            when utm_source is null then 'missing_utm_source'
            when spend_reason is not null then spend_reason
        end as first_reason
    from keyed
),

checked as (
    select
        *,
        {{ conflict_checked_reason('ad_spend_id') }} as quarantine_reason
    from screened
),

final as (
    select
        ad_spend_id,
        spend_date,
        utm_source,
        utm_medium,
        utm_campaign,
        spend,
        row_fingerprint,
        quarantine_reason,
        {{ copy_number(['ad_spend_id'], order_by='') }} as copy_number,
        {{ delivery_number(['ad_spend_id'], order_by='') }} as delivery_number
    from checked
)

select * from final
