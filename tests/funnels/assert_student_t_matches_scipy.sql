-- student_t_to_z (the two-sided p-value 2 * normal_cdf(-z)) and student_t_quantile against
-- scipy.stats.t (values printed by scipy 1.17, written here by hand: 2 * t.sf(|t|, df) and
-- t.ppf(0.975, df)). Each row carries the
-- absolute error its df allows (the accuracy stated in the macros and in
-- agg_experiment_metrics' YAML). Returns each point that misses.
with p_values (t, df, expected, tolerance) as (
    values
    (0.0, 10.0, 1.0, 1e-9),
    (0.5, 10, 0.627893605742973, 1e-9),
    (1.0, 12.5, 0.3362760549640746, 1e-9),
    (2.0, 10, 0.07338803477074037, 1e-9),
    (2.228138851986274, 10, 0.050000000000000044, 1e-9),
    (3.5, 15, 0.0032235309437944996, 1e-9),
    (-2.5, 30, 0.01811564906806669, 1e-9),
    (1.96, 100, 0.05277890136622966, 1e-9),
    (4.0, 57.3, 0.0001837235852253085, 1e-9),
    (6.0, 1000, 2.7553691733774752e-09, 1e-12),
    (2.0, 1000000, 0.04550053385131924, 1e-9),
    (1.5, 4, 0.208, 3e-6),
    (3.0, 3, 0.0576688856224373, 2.5e-5)
),

quantiles (df, expected, tolerance) as (
    values
    (10.0, 2.228138851986274, 1e-5),
    (12.5, 2.1691859427125406, 1e-5),
    (30, 2.0422724563012378, 1e-7),
    (100, 1.9839715185235518, 1e-9),
    (1000, 1.9623390808264083, 1e-12)
),

deviates as (
    select
        t,
        df,
        expected,
        tolerance,
        {{ student_t_to_z('cast(t as ' ~ type_double() ~ ')', 'cast(df as ' ~ type_double() ~ ')') }} as z
    from p_values
),

computed as (
    select
        'p_value' as checked,
        t,
        df,
        cast(expected as {{ type_double() }}) as expected,
        cast(tolerance as {{ type_double() }}) as tolerance,
        2 * {{ normal_cdf('-z') }} as actual
    from deviates
    union all
    select
        'quantile' as checked,
        null as t,
        df,
        cast(expected as {{ type_double() }}) as expected,
        cast(tolerance as {{ type_double() }}) as tolerance,
        {{ student_t_quantile(1.959963984540054, 'cast(df as ' ~ type_double() ~ ')') }} as actual
    from quantiles
),

final as (
    select *
    from computed
    where actual is null or abs(actual - expected) > tolerance
)

select * from final
