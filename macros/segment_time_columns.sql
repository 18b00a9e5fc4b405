{#-
    The three time columns every staged Segment call carries, from its already-cast UTC times:
    - event_at: `timestamp` (Segment's own clock-corrected time); where null, Segment's
      correction received_at - (sent_at - original_timestamp); where that is null, received_at.
      A result more than var('max_future_clock_minutes') after received_at (a device clock in
      the future) is replaced by received_at. A correction that would fall before
      earliest_plausible_at() (client times years apart) is not used (and is never computed:
      PostgreSQL fails on a timestamp before 4713 BC).
    - event_at_source: which of the three gave the time ('timestamp', 'corrected', 'received_at').
    - is_future_clock_corrected: true where the future-clock rule replaced the time.
    Pass the string 'null' for inputs a table does not have (experiment_viewed has no sent_at).
-#}
{% macro segment_time_columns(timestamp_at, original_timestamp_at, sent_at, received_at) -%}
    {%- set client_delay = dbt.datediff(original_timestamp_at, sent_at, 'millisecond') -%}
    {%- set corrected -%}
        case
            when {{ client_delay }} <= {{ dbt.datediff(
                earliest_plausible_at(), received_at, 'millisecond'
            ) }}
                then {{ add_milliseconds('-1 * ' ~ client_delay, received_at) }}
        end
    {%- endset -%}
    {%- set candidate = 'coalesce(' ~ timestamp_at ~ ', ' ~ corrected ~ ', ' ~ received_at ~ ')' -%}
    {%- set latest_allowed = dbt.dateadd(
        'minute', var('max_future_clock_minutes'), received_at
    ) -%}
    case
        when {{ timestamp_at }} is not null then 'timestamp'
        when {{ corrected }} is not null then 'corrected'
        when {{ received_at }} is not null then 'received_at'
    end as event_at_source,
    case
        when {{ candidate }} > {{ latest_allowed }} then {{ received_at }}
        else {{ candidate }}
    end as event_at,
    coalesce({{ candidate }} > {{ latest_allowed }}, false) as is_future_clock_corrected
{%- endmacro %}
