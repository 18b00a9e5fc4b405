-- chi_square_p_value against scipy.stats.chi2.sf (values printed by scipy 1.17, written here
-- by hand), odd and even df, in the body and the far tail: absolute error below 1e-13 and,
-- where the tail is below 0.01, relative error below 1e-9. Returns each point that misses.
with reference (x, df, expected) as (
    values
    (cast(0 as {{ type_double() }}), 1, cast(1.0 as {{ type_double() }})),
    (0.5, 1, 0.47950012218695337),
    (3.841458820694124, 1, 0.04999999999999989),
    (10, 1, 0.001565402258002549),
    (0, 2, 1.0),
    (2, 2, 0.36787944117144245),
    (5.991464547107979, 2, 0.05000000000000007),
    (7.5, 3, 0.0575584519726364),
    (11.344866730144373, 3, 0.00999999999999999),
    (4, 4, 0.40600584970983794),
    (20, 5, 0.0012497305630313773),
    (1, 6, 0.9856123220330293),
    (15, 7, 0.03599940476342876),
    (30, 10, 0.000856641210775301),
    (50, 20, 0.0002214766382487835),
    (100, 3, 1.5541594313896026e-21),
    (1500, 2, 0.0)
),

computed as (
    select
        x,
        df,
        expected,
        {{ chi_square_p_value('x', 'df') }} as actual
    from reference
),

final as (
    select *
    from computed
    where
        actual is null
        or abs(actual - expected) > 1e-13
        or (expected > 0 and expected < 0.01 and abs(actual - expected) / expected > 1e-9)
)

select * from final
