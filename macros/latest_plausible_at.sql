{#-
    The latest time a row may have reached its source: the run's start (run_timestamp) plus
    var('max_future_time_minutes'), for clocks of loaders and shops a little ahead of the
    machine that runs dbt. A Segment received_at or an order's created_at after it is
    quarantined (received_in_future, time_in_future), so that no row from the future is
    staged and the incremental cutoff (reprocess_cutoff) never moves past the present.
-#}
{% macro latest_plausible_at() -%}
    {{ dbt.dateadd('minute', var('max_future_time_minutes'), run_timestamp()) }}
{%- endmacro %}
