"""Every metric of the semantic layer, queried through MetricFlow on generated data on each
engine, equals a reference computed here in plain Python from the marts' rows (or, where the
metric only re-reads an aggregate mart, that mart's own columns).

The references follow the metric descriptions (models/marts/*/_*__semantic.yml) without
reading MetricFlow's SQL. A metric without a check here fails test_every_metric_is_checked:
adding a metric means adding its reference.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import yaml
from conftest import GeneratedBuild

from growthkit.dbt_runner import PROJECT_ROOT
from growthkit.semantic import SemanticLayer

#: The vars the generated build runs with (dbt_project.yml's defaults).
VARS = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["vars"]
ATTRIBUTION_MODELS = [
    "first_touch",
    "last_touch",
    "last_non_direct",
    "linear",
    "position_based",
    "time_decay",
    "markov",
]

Key = tuple[Any, ...]
Series = dict[Key, float | None]


# -- helpers -------------------------------------------------------------------------------------


def _day(value: Any) -> Any:
    """A date from a date or a (midnight) timestamp, as MetricFlow's time columns come back."""
    if isinstance(value, datetime):
        return value.date()
    return value


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month(day: date) -> date:
    return day.replace(day=1)


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


class Marts:
    """The generated build's marts, read once per relation and column list."""

    def __init__(self, build: GeneratedBuild) -> None:
        self.build = build
        self._cache: dict[tuple[str, str, str], list[tuple[Any, ...]]] = {}

    def rows(self, model: str, columns: str, where: str = "true") -> list[tuple[Any, ...]]:
        key = (model, columns, where)
        if key not in self._cache:
            relation = self.build.run.relation(model)
            self._cache[key] = self.build.engine.warehouse.query(
                f"select {columns} from {relation} where {where}"
            )
        return self._cache[key]


def _count_by(rows: Iterable[tuple[Any, ...]], key: Callable[[tuple[Any, ...]], Any]) -> Series:
    counts: dict[Key, float | None] = defaultdict(float)
    for row in rows:
        k = key(row)
        if k is not None:
            counts[k if isinstance(k, tuple) else (k,)] += 1  # type: ignore[operator]
    return dict(counts)


def _distinct_by(rows: Iterable[tuple[Any, ...]], key: Callable, member: Callable) -> Series:
    members: dict[Key, set[Any]] = defaultdict(set)
    for row in rows:
        k = key(row)
        members[k if isinstance(k, tuple) else (k,)].add(member(row))
    return {k: float(len(v)) for k, v in members.items()}


def _rolling_distinct(pairs: list[tuple[date, Any]], window_days: int) -> Series:
    """For each day from the first date to the last + window - 1: distinct members with a date
    in the window_days days ending that day (MetricFlow's cumulative window)."""
    by_day: dict[date, set[Any]] = defaultdict(set)
    for day, member in pairs:
        by_day[day].add(member)
    first, last = min(by_day), max(by_day)
    out: Series = {}
    day = first
    while day <= last + timedelta(days=window_days - 1):
        seen: set[Any] = set()
        for back in range(window_days):
            seen |= by_day.get(day - timedelta(days=back), set())
        if seen:
            out[(day,)] = float(len(seen))
        day += timedelta(days=1)
    return out


def _ratio_series(numerator: Series, denominator: Series) -> Series:
    keys = set(numerator) | set(denominator)
    return {k: _ratio(numerator.get(k) or 0.0, denominator.get(k) or 0.0) for k in keys}


def _query(layer: SemanticLayer, metric: str, group_by: list[str], where: list[str]) -> Series:
    """The metric by ``group_by`` (MetricFlow names its output columns after them)."""
    out: Series = {}
    for record in layer.query([metric], group_by, where).records():
        key = tuple(_day(record[column]) for column in group_by)
        value = record[metric]
        out[key] = None if value is None else float(value)
    return out


def _assert_series(metric: str, got: Series, want: Series, group_by: list[str]) -> None:
    # rows of 0 (or null) on one side and absent on the other are the same statement
    keys = {k for k in set(got) | set(want) if (got.get(k) or 0) != 0 or (want.get(k) or 0) != 0}
    wrong = []
    for key in sorted(keys, key=repr):
        g, w = got.get(key), want.get(key)
        if g is None or w is None or not math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-9):
            wrong.append(f"{key}: metric {g}, reference {w}")
    if not keys and metric in EMPTY_ON_SHORT_DATA:
        return
    assert keys, f"{metric} by {group_by}: no rows on either side; the check proves nothing"
    assert not wrong, (
        f"{metric} by {group_by or 'nothing'}: {len(wrong)} of {len(keys)} rows differ:\n"
        + "\n".join(wrong[:20])
    )


# -- the references ------------------------------------------------------------------------------

Check = tuple[list[str], list[str], Callable[[Marts], Series]]


def _sessions(m: Marts) -> list[tuple[Any, ...]]:
    return m.rows("fct_sessions", "session_id, user_key, started_date, is_bounce")


def _new_visitors(m: Marts) -> Series:
    """Users by the date of their first session ever (by started_at, then session_id)."""
    first: dict[Any, tuple[Any, Any, Any]] = {}
    for session_id, user, day, started_at in m.rows(
        "fct_sessions", "session_id, user_key, started_date, started_at"
    ):
        if user not in first or (started_at, session_id) < first[user][:2]:
            first[user] = (started_at, session_id, day)
    return _count_by(first.values(), lambda r: r[2])


def _mart_sum(m: Marts, model: str, group: str, column: str) -> Series:
    """An aggregate mart's column summed by one of its columns (the grouping's own check)."""
    sums: dict[Key, float] = defaultdict(float)
    for key, value in m.rows(model, f"{group}, {column}"):
        sums[(key,)] += float(value)
    return dict(sums)


def _users(m: Marts) -> list[tuple[Any, ...]]:
    return m.rows(
        "dim_users",
        "user_key, is_internal, is_bot, first_seen_date, signed_up_date, heard_about",
    )


def _events(m: Marts) -> list[tuple[Any, ...]]:
    return m.rows("fct_events", "event_id, user_key, event_name, event_date")


def _orders(m: Marts) -> list[tuple[Any, ...]]:
    return m.rows(
        "fct_orders", "order_id, user_key, is_completed, is_first_order, revenue, ordered_date"
    )


def _person(row: tuple[Any, ...]) -> bool:
    return not row[1] and not row[2]


def _votes(m: Marts, direction: str) -> Series:
    rows = m.rows(
        "fct_event_properties",
        "event_id, event_date",
        f"event_name = 'search_rated' and property_name = 'rating' "
        f"and lower(value_text) = '{direction}'",
    )
    return _count_by(rows, lambda r: r[1])


def _searches(m: Marts) -> Series:
    return _count_by((r for r in _events(m) if r[2] == "document_searched"), lambda r: r[3])


def _conversion(m: Marts, hours: float | None) -> tuple[Series, Series]:
    """(converted, users) of fct_order_conversion by first_seen_date; hours None = same day."""
    rows = m.rows(
        "fct_order_conversion",
        "user_key, first_seen_date, hours_to_first_order, converted_same_day",
    )
    users = _count_by(rows, lambda r: r[1])
    if hours is None:
        converted = _count_by((r for r in rows if r[3]), lambda r: r[1])
    else:
        converted = _count_by(
            (r for r in rows if r[2] is not None and r[2] <= hours), lambda r: r[1]
        )
    return converted, users


def _conversion_windows_mart(m: Marts, window: str) -> Series:
    rows = m.rows(
        "agg_conversion_windows",
        "cohort_date, users, converted_users",
        f"conversion_window = '{window}'",
    )
    users: dict[Key, float] = defaultdict(float)
    converted: dict[Key, float] = defaultdict(float)
    for day, n, c in rows:
        users[(day,)] += n
        converted[(day,)] += c
    return _ratio_series(dict(converted), dict(users))


def _signup_to_first_order(m: Marts) -> tuple[Series, Series]:
    first_order = {r[1]: r[5] for r in _orders(m) if r[3]}
    signups = [(r[0], r[4]) for r in _users(m) if r[4] is not None and _person(r)]
    base = _count_by(signups, lambda r: r[1])
    converted = _count_by(
        (
            r
            for r in signups
            if r[0] in first_order and r[1] <= first_order[r[0]] < r[1] + timedelta(days=30)
        ),
        lambda r: r[1],
    )
    return converted, base


def _funnel_steps(m: Marts) -> Series:
    return _count_by(
        m.rows("fct_funnel_steps", "funnel_name, entity_type, step_number"),
        lambda r: (r[0], r[1], int(r[2])),
    )


def _funnel_conversion(m: Marts, step: int) -> Series:
    steps = _funnel_steps(m)
    out: Series = {}
    for (funnel, entity_type, number), count in steps.items():
        if number == 1:
            reached = steps.get((funnel, entity_type, step))
            out[(funnel, entity_type)] = (
                None if reached is None else _ratio(reached or 0, count or 0)
            )
    return out


def _depth(steps: Series, funnel: str, entity_type: str) -> int:
    return max(number for (f, e, number) in steps if (f, e) == (funnel, entity_type))


def _experiments(m: Marts, column: str) -> Series:
    rows = m.rows("agg_experiment_results", f"experiment_id, variation_id, {column}")
    return {(r[0], r[1]): float(r[2]) for r in rows}


def _retention(m: Marts, column: str, period: int) -> Series:
    rows = m.rows(
        "agg_retention_cohorts",
        f"cohort_start, {column}",
        f"cohort_grain = 'week' and period_number = {period} and not is_partial_period",
    )
    out: dict[Key, float] = defaultdict(float)
    for day, value in rows:
        out[(_day(day),)] += value
    return dict(out)


def _returns(m: Marts) -> tuple[Series, Series]:
    rows = m.rows("fct_user_returns", "user_key, first_seen_date, returned_within_7d")
    return (
        _count_by((r for r in rows if r[2]), lambda r: r[1]),
        _count_by(rows, lambda r: r[1]),
    )


def _segments(m: Marts) -> list[tuple[Any, ...]]:
    return m.rows("dim_user_segments", "user_key, as_of_date, activated_at")


def _segments_daily(m: Marts, flag: str) -> Series:
    return _count_by(
        m.rows("fct_user_segments_daily", "user_key, segment_date", f"{flag}"),
        lambda r: r[1],
    )


def _on_last_date(m: Marts, flag: str) -> Series:
    """The flag's count on the range's last date (0 when nobody has it that day)."""
    last = max(r[0] for r in m.rows("fct_user_segments_daily", "segment_date"))
    return {(): _segments_daily(m, flag).get((last,), 0.0)}


def _engagement(m: Marts, period: Callable[[date], date]) -> tuple[Series, Series]:
    """(engaged visitors, visitors) per period, from the events and the var's event names."""
    names = VARS["engagement_event_names"]
    assert all(isinstance(name, str) for name in names), "a property condition: extend the check"
    engaged: dict[Key, set[Any]] = defaultdict(set)
    visitors: dict[Key, set[Any]] = defaultdict(set)
    for _, user, event_name, day in _events(m):
        key = (period(day),)
        visitors[key].add(user)
        if event_name in names:
            engaged[key].add(user)
    return (
        {k: float(len(v)) for k, v in engaged.items()},
        {k: float(len(v)) for k, v in visitors.items()},
    )


def _touch_credits(m: Marts, model: str, column: str) -> Series:
    if model == "markov":
        rows = m.rows("agg_markov_removal_effects", f"{column}")
        return {(): float(sum(r[0] for r in rows))}
    value = f"{model}_credit" + (" * revenue" if column == "credited_revenue" else "")
    rows = m.rows("fct_attribution_touches", f"sum({value})", "conversion_type = 'order'")
    return {(): float(rows[0][0] or 0)}


def _spend(m: Marts) -> Series:
    return {(): float(m.rows("stg_marketing__ad_spend", "sum(spend)")[0][0])}


def _violations(m: Marts) -> Series:
    return _count_by(m.rows("fct_tracking_plan_violations", "event_date"), lambda r: r[0])


#: Metrics that have no value on the generated data's 21 days (week-4 retention needs a
#: complete fifth week); their check still fails if the metric returns a value the reference
#: does not.
EMPTY_ON_SHORT_DATA = {"retention_week_4", "retention_unbounded_week_4"}

DAY = ["metric_time__day"]
WEEK = ["metric_time__week"]
MONTH = ["metric_time__month"]


def _checks() -> dict[str, list[Check]]:
    """metric -> [(group_by, where, reference)]."""
    checks: dict[str, list[Check]] = {
        "visitors": [
            (DAY, [], lambda m: _distinct_by(_sessions(m), lambda r: r[2], lambda r: r[1])),
            (WEEK, [], lambda m: _distinct_by(_sessions(m), lambda r: _week(r[2]), lambda r: r[1])),
        ],
        "sessions": [(DAY, [], lambda m: _count_by(_sessions(m), lambda r: r[2]))],
        "landing_sessions": [
            (DAY, [], lambda m: _count_by(_sessions(m), lambda r: r[2])),
            (
                ["visit_group_day__landing_page_group"],
                [],
                lambda m: _mart_sum(m, "agg_visitors_daily", "landing_page_group", "sessions"),
            ),
        ],
        "new_visitors": [
            (DAY, [], _new_visitors),
            (
                ["visit_group_day__region"],
                [],
                lambda m: _mart_sum(m, "agg_visitors_daily", "region", "new_visitors"),
            ),
        ],
        "bounced_sessions": [
            (DAY, [], lambda m: _count_by((r for r in _sessions(m) if r[3]), lambda r: r[2]))
        ],
        "bounce_rate": [
            (
                [],
                [],
                lambda m: {(): _ratio(sum(1 for r in _sessions(m) if r[3]), len(_sessions(m)))},
            )
        ],
        "new_users": [
            (
                DAY,
                [],
                lambda m: _count_by(
                    (r for r in _users(m) if r[3] is not None and _person(r)), lambda r: r[3]
                ),
            )
        ],
        "signups": [
            (
                DAY,
                [],
                lambda m: _count_by(
                    (r for r in _users(m) if r[4] is not None and _person(r)), lambda r: r[4]
                ),
            ),
            # the mart that counts them by month and answer
            (
                [*MONTH, "user__heard_about"],
                [],
                lambda m: {
                    (_day(r[0]), r[1]): float(r[2])
                    for r in m.rows(
                        "agg_signups_by_source_monthly", "signup_month, heard_about, signups"
                    )
                },
            ),
        ],
        "daily_active_users": [
            (DAY, [], lambda m: _distinct_by(_events(m), lambda r: r[3], lambda r: r[1]))
        ],
        "weekly_active_users": [
            (DAY, [], lambda m: _rolling_distinct([(r[3], r[1]) for r in _events(m)], 7))
        ],
        "monthly_active_users": [
            (DAY, [], lambda m: _rolling_distinct([(r[3], r[1]) for r in _events(m)], 30))
        ],
        "revenue": [
            (
                DAY,
                [],
                lambda m: {
                    k: float(v)
                    for k, v in _sum_by(
                        (r for r in _orders(m) if r[2]), lambda r: r[5], lambda r: r[4]
                    ).items()
                },
            )
        ],
        "completed_orders": [
            (DAY, [], lambda m: _count_by((r for r in _orders(m) if r[2]), lambda r: r[5]))
        ],
        "first_orders": [
            (DAY, [], lambda m: _count_by((r for r in _orders(m) if r[3]), lambda r: r[5]))
        ],
        "searches": [(DAY, [], _searches)],
        "search_upvotes": [(DAY, [], lambda m: _votes(m, "up"))],
        "search_downvotes": [(DAY, [], lambda m: _votes(m, "down"))],
        "search_accuracy": [
            (
                [],
                [],
                lambda m: {
                    (): _ratio(
                        sum(_votes(m, "up").values()) - sum(_votes(m, "down").values()),
                        sum(_searches(m).values()),
                    )
                },
            )
        ],
        "accounts": [
            (
                DAY,
                [],
                lambda m: _count_by(
                    m.rows("dim_accounts", "account_id, first_user_at"),
                    lambda r: _day(r[1]),
                ),
            )
        ],
        "zero_order_users": [(DAY, [], lambda m: _conversion(m, 0)[1])],
        "converted_same_day_users": [(DAY, [], lambda m: _conversion(m, None)[0])],
        "converted_1d_users": [(DAY, [], lambda m: _conversion(m, 24)[0])],
        "converted_7d_users": [(DAY, [], lambda m: _conversion(m, 7 * 24)[0])],
        "converted_30d_users": [(DAY, [], lambda m: _conversion(m, 30 * 24)[0])],
        "conversion_rate_same_day": [
            (DAY, [], lambda m: _ratio_series(*_conversion(m, None))),
            (DAY, [], lambda m: _conversion_windows_mart(m, "same_day")),
        ],
        "conversion_rate_1d": [
            (DAY, [], lambda m: _ratio_series(*_conversion(m, 24))),
            (DAY, [], lambda m: _conversion_windows_mart(m, "1d")),
        ],
        "conversion_rate_7d": [
            (DAY, [], lambda m: _ratio_series(*_conversion(m, 7 * 24))),
            (DAY, [], lambda m: _conversion_windows_mart(m, "7d")),
        ],
        "conversion_rate_30d": [
            (DAY, [], lambda m: _ratio_series(*_conversion(m, 30 * 24))),
            (DAY, [], lambda m: _conversion_windows_mart(m, "30d")),
        ],
        "signup_to_first_order_rate_30d": [
            (DAY, [], lambda m: _ratio_series(*_signup_to_first_order(m))),
            (
                [],
                [],
                lambda m: {
                    (): _ratio(
                        sum(_signup_to_first_order(m)[0].values()),
                        sum(_signup_to_first_order(m)[1].values()),
                    )
                },
            ),
        ],
        "funnel_entities": [
            (
                [
                    "funnel_group_step__funnel_name",
                    "funnel_group_step__entity_type",
                    "funnel_group_step__step_number",
                ],
                [],
                _funnel_steps,
            )
        ],
        "exposed_users": [(EXPERIMENT, [], lambda m: _experiments(m, "users"))],
        "experiment_converted_users": [
            (EXPERIMENT, [], lambda m: _experiments(m, "converted_users"))
        ],
        "experiment_conversion_rate": [
            (EXPERIMENT, [], lambda m: _experiments(m, "conversion_rate"))
        ],
        "retention_cohort_users": [
            (
                [],
                [],
                lambda m: {
                    (): float(sum(r[0] for r in m.rows("agg_retention_cohorts", "cohort_users")))
                },
            )
        ],
        "retention_active_users": [
            (
                [],
                [],
                lambda m: {
                    (): float(sum(r[0] for r in m.rows("agg_retention_cohorts", "active_users")))
                },
            )
        ],
        "retention_retained_users_unbounded": [
            (
                [],
                [],
                lambda m: {
                    (): float(
                        sum(
                            r[0]
                            for r in m.rows("agg_retention_cohorts", "retained_users_unbounded")
                        )
                    )
                },
            )
        ],
        "first_time_visitors": [(DAY, [], lambda m: _returns(m)[1])],
        "returned_visitors": [(DAY, [], lambda m: _returns(m)[0])],
        "one_week_return_rate": [(DAY, [], lambda m: _ratio_series(*_returns(m)))],
        "segmented_users": [([], [], lambda m: {(): float(len(_segments(m)))})],
        "activated_users": [
            ([], [], lambda m: {(): float(sum(1 for r in _segments(m) if r[2] is not None))})
        ],
        "activation_rate": [
            (
                [],
                [],
                lambda m: {
                    (): _ratio(sum(1 for r in _segments(m) if r[2] is not None), len(_segments(m)))
                },
            )
        ],
        "weekly_visitors": [(WEEK, [], lambda m: _engagement(m, _week)[1])],
        "weekly_engaged_visitors": [(WEEK, [], lambda m: _engagement(m, _week)[0])],
        "engaged_visitor_share_weekly": [
            (WEEK, [], lambda m: _ratio_series(*_engagement(m, _week)))
        ],
        "monthly_visitors": [(MONTH, [], lambda m: _engagement(m, _month)[1])],
        "monthly_engaged_visitors": [(MONTH, [], lambda m: _engagement(m, _month)[0])],
        "engaged_visitor_share_monthly": [
            (MONTH, [], lambda m: _ratio_series(*_engagement(m, _month)))
        ],
        "credited_conversions": [
            (
                ["attribution_row__attribution_model"],
                ["{{ Dimension('attribution_row__conversion_type') }} = 'order'"],
                lambda m: {
                    (model,): _touch_credits(m, model, "credited_conversions")[()]
                    for model in ATTRIBUTION_MODELS
                },
            )
        ],
        "credited_revenue": [
            (
                ["attribution_row__attribution_model"],
                ["{{ Dimension('attribution_row__conversion_type') }} = 'order'"],
                lambda m: {
                    (model,): _touch_credits(m, model, "credited_revenue")[()]
                    for model in ATTRIBUTION_MODELS
                },
            )
        ],
        "attributed_ad_spend": [
            (
                [],
                [
                    "{{ Dimension('attribution_row__attribution_model') }} = 'linear'",
                    "{{ Dimension('attribution_row__conversion_type') }} = 'signup'",
                ],
                _spend,
            )
        ],
        "ad_spend": [([], [], _spend)],
        "tracking_plan_violations": [(DAY, [], _violations)],
    }
    for step in (2, 3, 4):
        checks[f"funnel_step_{step}_conversion"] = [
            (FUNNEL, [], lambda m, step=step: _funnel_conversion(m, step))
        ]
    for period in (1, 4):
        # (week 4 needs 5 weeks of data: with fewer, _assert_series requires the mart to have
        # no complete period-4 row either)
        checks[f"retention_week_{period}"] = [
            (
                WEEK,
                [],
                lambda m, period=period: _ratio_series(
                    _retention(m, "active_users", period), _retention(m, "cohort_users", period)
                ),
            )
        ]
        checks[f"retention_unbounded_week_{period}"] = [
            (
                WEEK,
                [],
                lambda m, period=period: _ratio_series(
                    _retention(m, "retained_users_unbounded", period),
                    _retention(m, "cohort_users", period),
                ),
            )
        ]
    for flag, metric in (
        ("is_power_user", "power_users"),
        ("is_churn_risk_short_term", "churn_risk_short_term_users"),
        ("is_churn_risk_long_term", "churn_risk_long_term_users"),
    ):
        checks[metric] = [
            (DAY, [], lambda m, flag=flag: _segments_daily(m, flag)),
            # a count on one date: with no time grouping, the range's last date
            ([], [], lambda m, flag=flag: _on_last_date(m, flag)),
        ]
    for model in ATTRIBUTION_MODELS:
        checks[f"credited_orders_{model}"] = [
            ([], [], lambda m, model=model: _touch_credits(m, model, "credited_conversions"))
        ]
        checks[f"credited_revenue_{model}"] = [
            ([], [], lambda m, model=model: _touch_credits(m, model, "credited_revenue"))
        ]
        checks[f"roas_{model}"] = [
            (
                [],
                [],
                lambda m, model=model: {
                    (): _ratio(
                        _touch_credits(m, model, "credited_revenue")[()] or 0, _spend(m)[()] or 0
                    )
                },
            )
        ]
        checks[f"cost_per_conversion_{model}"] = [
            (
                [],
                [],
                lambda m, model=model: {
                    (): _ratio(
                        _spend(m)[()] or 0,
                        _touch_credits(m, model, "credited_conversions")[()] or 0,
                    )
                },
            )
        ]
    return checks


EXPERIMENT = ["experiment_exposure__experiment_id", "experiment_exposure__variation_id"]
FUNNEL = ["funnel_group_step__funnel_name", "funnel_group_step__entity_type"]


def _sum_by(rows: Iterable[tuple[Any, ...]], key: Callable, value: Callable) -> Series:
    sums: dict[Key, float] = defaultdict(float)
    for row in rows:
        sums[(key(row),)] += float(value(row))
    return dict(sums)


CHECKS = _checks()


# -- the tests -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def layer(generated_build: GeneratedBuild) -> SemanticLayer:
    return SemanticLayer(generated_build.run.target_path, generated_build.engine.warehouse)


@pytest.fixture(scope="module")
def marts(generated_build: GeneratedBuild) -> Marts:
    return Marts(generated_build)


def test_every_metric_is_checked(layer: SemanticLayer) -> None:
    metrics = set(layer.metric_names())
    unchecked = sorted(metrics - set(CHECKS))
    stale = sorted(set(CHECKS) - metrics)
    assert not unchecked, f"metrics without a reference here: {unchecked}"
    assert not stale, f"checks of metrics that do not exist: {stale}"


@pytest.mark.parametrize("metric", sorted(CHECKS))
def test_metric_equals_reference(layer: SemanticLayer, marts: Marts, metric: str) -> None:
    for group_by, where, reference in CHECKS[metric]:
        got = _query(layer, metric, group_by, where)
        _assert_series(metric, got, reference(marts), group_by)
