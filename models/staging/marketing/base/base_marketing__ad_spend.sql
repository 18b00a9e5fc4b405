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

typed as (
    select
        cast({{ adapter.quote('date') }} as date) as spend_date,
        lower({{ clean_text('utm_source') }}) as utm_source,
        lower({{ clean_text('utm_medium') }}) as utm_medium,
        lower({{ clean_text('utm_campaign') }}) as utm_campaign,
        cast(spend as {{ dbt.type_numeric() }}) as spend,
        {{ row_fingerprint([
            adapter.quote('date'), 'utm_source', 'utm_medium', 'utm_campaign', 'spend',
        ]) }} as row_fingerprint
    from source
),

keyed as (
    select
        *,
        {{ surrogate_key(['spend_date', 'utm_source', 'utm_medium', 'utm_campaign']) }}
            as ad_spend_id
    from typed
),

screened as (
    select
        *,
        case
            when spend_date is null then 'missing_date'
            when utm_source is null then 'missing_utm_source'
            when spend is null or spend < 0 then 'invalid_spend'
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
