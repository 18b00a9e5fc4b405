{#-
    The `when ... then <reason>` branches of a Segment base model's quarantine reason that
    screen its times (event_at from segment_time_columns, received_at as cast), in order:
    - no_usable_time: no time at all;
    - received_in_future: received_at after latest_plausible_at() (the run's start plus
      var('max_future_time_minutes')): a loader's clock gone wrong. Never staged, and left out
      of the incremental cutoff (see reprocess_cutoff);
    - time_in_future: event_at after that, plus var('max_future_clock_minutes') (possible
      only when received_at is null, else the future-clock rule has capped it);
    - time_before_floor: event_at before earliest_plausible_at() (var
      earliest_plausible_date): a device clock reset to 1970, a year 1.
-#}
{% macro segment_time_checks(event_at, received_at) -%}
    when {{ event_at }} is null then 'no_usable_time'
            when {{ received_at }} > {{ latest_plausible_at() }} then 'received_in_future'
            when {{ event_at }} > {{ dbt.dateadd(
                'minute', var('max_future_clock_minutes'), latest_plausible_at()
            ) }}
                then 'time_in_future'
            when {{ event_at }} < {{ earliest_plausible_at() }} then 'time_before_floor'
{%- endmacro %}
