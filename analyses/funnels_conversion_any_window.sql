-- Conversion of the zero-order population within any window the team chooses, by cohort date
-- and acquisition channel: change the hours below (fractional hours work: 1.5 = 90 minutes).
-- Compile with `dbt compile --select analysis:funnels_conversion_any_window` and run the SQL
-- in target/compiled/, or paste the macro call into `dbt show --inline`.
with within_window as (
    {{ conversion_within(36) }}
),

final as (
    select * from within_window
    order by cohort_date, acquisition_channel
)

select * from final
