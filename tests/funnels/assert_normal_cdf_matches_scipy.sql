-- normal_cdf against scipy.stats.norm.cdf (values printed by scipy 1.x, written here by hand):
-- absolute error below 1e-15, and relative error below 1e-7 in the lower tail, where
-- p-values come from. Returns each point that misses.
with reference (x, expected) as (
    values
    (cast(-40 as {{ type_double() }}), cast(0.0 as {{ type_double() }})),
    (-10, 7.61985302416047e-24),
    (-8, 6.22096057427174e-16),
    (-7.5, 3.1908916729108844e-14),
    (-5, 2.866515718791933e-07),
    (-3, 0.0013498980316300933),
    (-1.959963984540054, 0.025),
    (-1, 0.15865525393145707),
    (-0.3, 0.3820885778110474),
    (0, 0.5),
    (0.3, 0.6179114221889526),
    (1, 0.8413447460685429),
    (1.959963984540054, 0.975),
    (3, 0.9986501019683699),
    (7.1, 0.9999999999993762),
    (10, 1.0)
),

computed as (
    select
        x,
        expected,
        {{ normal_cdf('x') }} as actual
    from reference
),

final as (
    select *
    from computed
    where
        actual is null
        or abs(actual - expected) > 1e-15
        or (x < 0 and expected > 0 and abs(actual - expected) / expected > 1e-7)
)

select * from final
