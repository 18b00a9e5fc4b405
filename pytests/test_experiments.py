"""Experiment read-outs on generated data, on each engine, against plain Python and scipy.

Per-user outcomes are recomputed from the rows of fct_experiment_exposures (who was exposed,
when, in which variation), fct_events, fct_sessions and fct_orders, following the definitions
in models/marts/funnels/_funnels__models.yml without reading the SQL under test. Every
statistic of agg_experiment_metrics and agg_experiment_sample_ratios is then recomputed with
scipy.stats: ttest_ind(equal_var=False) and its confidence interval for means, a two-proportion
z-test by hand with scipy.stats.norm for rates, chisquare for the sample ratio.
"""

from __future__ import annotations

import bisect
import csv
import math
from collections import defaultdict
from datetime import datetime, timedelta

from conftest import GeneratedBuild
from scipy.stats import chisquare, norm, ttest_ind

from growthkit.dbt_runner import PROJECT_ROOT

#: The defaults of the vars in dbt_project.yml (the generated build does not override them).
METRICS = ("signup", "activation", "first_order", "week_1_return", "revenue")
WINDOW = timedelta(days=7)  # experiment_conversion_window_days
RETURN_WINDOW = timedelta(days=7)  # return_window_days
SIGNUP = "signed_up"
ACTIVATION = "project_created"
CONTROL = "control"
SRM_THRESHOLD = 0.001
Z_975 = norm.ppf(0.975)

#: Tolerances: statistics relative, p-values absolute.
STAT_REL = 1e-6
P_ABS = 1e-3

Key = tuple[str, str]  # (experiment_id, user_key)


def _rows(build: GeneratedBuild, model: str, columns: str, where: str = "true") -> list[tuple]:
    relation = build.run.relation(model)
    return build.engine.warehouse.query(f"select {columns} from {relation} where {where}")


def _times(build: GeneratedBuild, model: str, columns: str, where: str) -> dict[str, list]:
    """user_key -> sorted timestamps (the second column)."""
    times: dict[str, list[datetime]] = defaultdict(list)
    for user_key, at in _rows(build, model, columns, where):
        times[user_key].append(at)
    for values in times.values():
        values.sort()
    return times


def _any_within(times: list[datetime], start: datetime, end: datetime, strict: bool) -> bool:
    """Is a time in (start, end] (strict) or [start, end]?"""
    i = (bisect.bisect_right if strict else bisect.bisect_left)(times, start)
    return i < len(times) and times[i] <= end


def _expected_outcomes(build: GeneratedBuild) -> tuple[dict[Key, tuple], dict]:
    """(experiment, user) -> (variation, contaminated); (experiment, user, metric) -> value."""
    exposures = {
        (experiment, user): (variation, contaminated, at)
        for experiment, user, variation, contaminated, at in _rows(
            build,
            "fct_experiment_exposures",
            "experiment_id, user_key, variation_id, is_contaminated, first_exposed_at",
        )
    }
    assert len(exposures) > 500, "the generated data should expose many users"
    signups = _times(build, "fct_events", "user_key, event_at", f"event_name = '{SIGNUP}'")
    activations = _times(build, "fct_events", "user_key, event_at", f"event_name = '{ACTIVATION}'")
    sessions = _times(build, "fct_sessions", "user_key, started_at", "true")
    orders: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for user, at, revenue in _rows(
        build, "fct_orders", "user_key, ordered_at, revenue", "is_completed"
    ):
        orders[user].append((at, float(revenue)))
    values = {}
    for (experiment, user), (_, _, at) in exposures.items():
        end = at + WINDOW
        first_signup = signups[user][0] if signups.get(user) else None
        first_order = min(orders[user])[0] if orders.get(user) else None
        outcome = {
            "signup": first_signup is not None and at <= first_signup <= end,
            "activation": _any_within(activations.get(user, []), at, end, strict=False),
            "first_order": first_order is not None and at <= first_order <= end,
            "week_1_return": _any_within(
                sessions.get(user, []), at, at + RETURN_WINDOW, strict=True
            ),
            "revenue": sum(revenue for t, revenue in orders.get(user, []) if at <= t <= end),
        }
        for metric in METRICS:
            values[(experiment, user, metric)] = float(outcome[metric])
    return {key: value[:2] for key, value in exposures.items()}, values


def test_experiment_outcomes_match_python(generated_build: GeneratedBuild) -> None:
    exposures, expected = _expected_outcomes(generated_build)
    actual = {
        (experiment, user, metric): (variation, kind, value)
        for experiment, user, metric, variation, kind, value in _rows(
            generated_build,
            "fct_experiment_outcomes",
            "experiment_id, user_key, metric_name, variation_id, metric_kind, metric_value",
        )
    }
    assert set(actual) == set(expected)
    wrong = [
        (key, actual[key], value)
        for key, value in expected.items()
        if actual[key][0] != exposures[key[:2]][0]
        or actual[key][1] != ("mean" if key[2] == "revenue" else "rate")
        or not math.isclose(actual[key][2], value, rel_tol=1e-9, abs_tol=1e-9)
    ]
    assert not wrong, f"{len(wrong)} outcomes differ, e.g. {wrong[:3]}"
    for metric in METRICS:
        assert any(v > 0 for k, v in expected.items() if k[2] == metric), f"no {metric} at all"


def _close(actual: float | None, expected: float, rel: float = STAT_REL) -> bool:
    return actual is not None and math.isclose(actual, expected, rel_tol=rel, abs_tol=1e-12)


def test_experiment_metrics_match_scipy(generated_build: GeneratedBuild) -> None:
    exposures, outcomes = _expected_outcomes(generated_build)
    samples: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    contaminated: dict[tuple[str, str, str], int] = defaultdict(int)
    for (experiment, user, metric), value in outcomes.items():
        variation, is_contaminated = exposures[(experiment, user)]
        samples[(experiment, variation, metric)].append(value)
        contaminated[(experiment, variation, metric)] += bool(is_contaminated)
    columns = (
        "experiment_id, variation_id, metric_name, metric_kind, exposed_persons,"
        " converted_persons, metric_sum, metric_mean, metric_stddev, control_metric_mean,"
        " absolute_lift, relative_lift, absolute_lift_ci_lower, absolute_lift_ci_upper,"
        " z_score, t_statistic, degrees_of_freedom, p_value, contaminated_persons, is_control"
    )
    names = [name.strip() for name in columns.split(",")]
    rows = [
        dict(zip(names, row, strict=True))
        for row in _rows(generated_build, "agg_experiment_metrics", columns)
    ]
    assert {(r["experiment_id"], r["variation_id"], r["metric_name"]) for r in rows} == set(samples)
    compared = degenerate = 0
    for row in rows:
        key = (row["experiment_id"], row["variation_id"], row["metric_name"])
        values, control = samples[key], samples[(key[0], CONTROL, key[2])]
        n, n0 = len(values), len(control)
        mean, mean0 = sum(values) / n, sum(control) / n0
        assert row["exposed_persons"] == n and row["contaminated_persons"] == contaminated[key]
        assert _close(row["metric_sum"], sum(values)) or sum(values) == row["metric_sum"] == 0
        assert _close(row["metric_mean"], mean) or mean == row["metric_mean"] == 0
        assert _close(row["control_metric_mean"], mean0) or mean0 == row["control_metric_mean"] == 0
        is_rate = key[2] != "revenue"
        assert row["metric_kind"] == ("rate" if is_rate else "mean")
        assert row["converted_persons"] == (sum(values) if is_rate else None)
        if key[1] == CONTROL:
            assert row["is_control"] and row["absolute_lift"] is None and row["p_value"] is None
            continue
        diff = mean - mean0
        assert _close(row["absolute_lift"], diff) or diff == row["absolute_lift"] == 0
        relative = row["relative_lift"]
        assert relative is None if mean0 == 0 else _close(relative, diff / mean0)
        if is_rate:
            pooled = (sum(values) + sum(control)) / (n + n0)
            half = Z_975 * math.sqrt(mean * (1 - mean) / n + mean0 * (1 - mean0) / n0)
            low, high = diff - half, diff + half
            ci_tol = 1e-9
            assert row["t_statistic"] is None and row["degrees_of_freedom"] is None, row
            if pooled in (0.0, 1.0):  # nobody (or everybody) converted: no test
                assert row["z_score"] is None and row["p_value"] is None, row
                degenerate += 1
            else:
                z = diff / math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / n0))
                p = 2 * norm.sf(abs(z))
                assert _close(row["z_score"], z), row
                assert abs(row["p_value"] - p) <= P_ABS, (row, p)
        else:
            result = ttest_ind(values, control, equal_var=False)
            z, p = float(result.statistic), float(result.pvalue)
            interval = result.confidence_interval(0.95)
            low, high = float(interval.low), float(interval.high)
            assert _close(row["t_statistic"], z) and row["z_score"] is None, row
            assert _close(row["degrees_of_freedom"], float(result.df)), row
            assert row["degrees_of_freedom"] >= 10, "the stated accuracy holds for df >= 10"
            # student_t_quantile: error below 1e-5 for df >= 10, times the standard error
            ci_tol = 1e-5 * (high - low) / (2 * 1.96)
            assert abs(row["p_value"] - p) <= P_ABS, (row, p)
        assert abs(row["absolute_lift_ci_lower"] - low) <= ci_tol, (row, low)
        assert abs(row["absolute_lift_ci_upper"] - high) <= ci_tol, (row, high)
        compared += 1
    assert compared >= 2 * len(METRICS), "expected a variant row per experiment and metric"
    assert degenerate < len(METRICS), "most metrics should have conversions to test"


def test_experiment_sample_ratios_match_scipy(generated_build: GeneratedBuild) -> None:
    exposures, _ = _expected_outcomes(generated_build)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (experiment, _), (variation, _) in exposures.items():
        counts[experiment][variation] += 1
    weights: dict[str, dict[str, float]] = defaultdict(dict)
    path = PROJECT_ROOT / "seeds" / "config" / "experiment_variation_weights.csv"
    with path.open() as handle:
        for seed_row in csv.DictReader(handle):
            weights[seed_row["experiment_id"]][seed_row["variation_id"]] = float(seed_row["weight"])
    rows = _rows(
        generated_build,
        "agg_experiment_sample_ratios",
        "experiment_id, variations, exposed_persons, chi_square, degrees_of_freedom, p_value,"
        " is_sample_ratio_mismatch, has_expected_weights",
    )
    assert {row[0] for row in rows} == set(counts)
    for experiment, variations, persons, chi2, df, p, is_srm, weighted in rows:
        seen = counts[experiment]
        planned = weights.get(experiment) or dict.fromkeys(seen, 1.0)
        assert set(seen) <= set(planned), "the generated experiments have no unexpected variation"
        names = sorted(planned)
        observed = [seen.get(name, 0) for name in names]
        total = sum(planned.values())
        expected = [planned[name] / total * sum(observed) for name in names]
        result = chisquare(observed, expected)
        assert (variations, persons, df) == (len(names), sum(observed), len(names) - 1)
        assert weighted == (experiment in weights)
        assert _close(chi2, float(result.statistic)) or chi2 == result.statistic == 0
        assert abs(p - float(result.pvalue)) <= P_ABS
        assert is_srm == (float(result.pvalue) < SRM_THRESHOLD)
    assert any(weighted for *_, weighted in rows) and not all(weighted for *_, weighted in rows)
