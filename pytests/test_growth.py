"""The growth model and segment stays on generated data, against plain Python.

Each test reads lower-level rows of the shared generated build (dim_users, fct_orders,
fct_events, fct_user_segments_daily) and the growth_dynamics seed file, recomputes a mart
following the definitions written in its YAML (models/marts/growth/_growth__models.yml,
fct_user_segment_changes in models/marts/retention/_retention__models.yml), and compares with
what the SQL built, row for row, on each engine. The build uses the default vars (reporting
time zone UTC, activation event project_created).
"""

from __future__ import annotations

import csv
import itertools
import math
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

from conftest import GeneratedBuild

ACTIVATION = "project_created"
SEED = Path(__file__).resolve().parents[1] / "seeds" / "config" / "growth_dynamics.csv"


def _as_date(value: object) -> date:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _same(actual: float | None, expected: float | None) -> bool:
    if actual is None or expected is None:
        return actual is expected
    return math.isclose(actual, expected, rel_tol=1e-12)


def test_growth_model_matches_python(generated_build: GeneratedBuild) -> None:
    warehouse = generated_build.engine.warehouse
    relation = generated_build.run.relation
    with SEED.open(newline="") as seed:
        dynamic_of = {row["heard_about"]: row["growth_dynamic"] for row in csv.DictReader(seed)}

    dynamics: dict[str, str] = {}
    signup_months: dict[str, date] = {}
    for user, heard, internal, bot, signed_up in warehouse.query(
        f"select user_key, heard_about, is_internal, is_bot, signed_up_date "
        f"from {relation('dim_users')}"
    ):
        if internal or bot:
            continue
        answer = heard.strip(" ").lower() if heard is not None else None
        dynamics[str(user)] = dynamic_of.get(answer, "unknown") if answer else "unknown"
        if signed_up is not None:
            signup_months[str(user)] = _month(_as_date(signed_up))

    activations: set[tuple[str, date]] = set()
    latest_event = None
    for user, name, day in warehouse.query(
        f"select user_key, event_name, event_date from {relation('fct_events')}"
    ):
        day = _as_date(day)
        latest_event = day if latest_event is None else max(latest_event, day)
        if name == ACTIVATION:
            activations.add((str(user), _month(day)))
    assert latest_event is not None

    order_months: dict[str, set[date]] = defaultdict(set)
    for user, completed, day in warehouse.query(
        f"select user_key, is_completed, ordered_date from {relation('fct_orders')}"
    ):
        if completed and day is not None and str(user) in dynamics:
            order_months[str(user)].add(_month(_as_date(day)))

    fact_months = set(signup_months.values()) | {m for ms in order_months.values() for m in ms}
    labels = sorted({*dynamic_of.values(), "unknown", "all"})
    expected = {}
    month = min(fact_months)
    while month <= max(*fact_months, _month(latest_event)):
        previous = (month - timedelta(days=1)).replace(day=1)
        counts: dict[str, Counter[str]] = {label: Counter() for label in labels}
        for user, signup_month in signup_months.items():
            if signup_month == month:
                for label in (dynamics[user], "all"):
                    counts[label]["signups"] += 1
                    counts[label]["activated"] += (user, month) in activations
        for user, months in order_months.items():
            for label in (dynamics[user], "all"):
                count = counts[label]
                count["new"] += min(months) == month
                count["existing"] += min(months) < month
                count["ordering"] += month in months
                count["previous"] += previous in months
                count["churned"] += previous in months and month not in months
        last_day = _next_month(month) - timedelta(days=1)
        for label, c in counts.items():
            expected[(month, label)] = (
                c["signups"], c["activated"], c["new"], c["existing"], c["ordering"],
                c["previous"], c["churned"],
                _ratio(c["activated"], c["signups"]),
                _ratio(c["new"], c["existing"]),
                _ratio(c["churned"], c["previous"]),
                latest_event < last_day,
            )  # fmt: skip
        month = _next_month(month)

    rows = warehouse.query(
        f"select month_start, growth_dynamic, signups, activated_users, new_customers, "
        f"existing_customers, ordering_customers, previous_month_customers, "
        f"churned_customers, activation_rate, new_customers_per_existing_customer, "
        f"customer_churn_rate, is_partial_month from {relation('agg_growth_model_monthly')}"
    )
    actual = {(_as_date(row[0]), str(row[1])): row[2:] for row in rows}
    assert len(actual) == len(rows)
    assert actual.keys() == expected.keys()
    for key, want in expected.items():
        got = actual[key]
        assert tuple(int(v) for v in got[:7]) == want[:7], key
        assert all(_same(g, w) for g, w in zip(got[7:10], want[7:10], strict=True)), (key, got)
        assert bool(got[10]) == want[10], key
    totals = Counter()
    for (_, label), values in expected.items():
        if label == "all":
            totals.update(
                signups=values[0],
                activated=values[1],
                new=values[2],
                existing=values[3],
                churned=values[6],
            )
    assert totals["signups"] > 100 and totals["activated"] > 10 and totals["new"] > 10, totals
    # The data spans a month end: the last month has existing customers and churn to check.
    assert totals["existing"] > 0 and totals["churned"] > 0, totals


def test_user_segment_changes_match_python(generated_build: GeneratedBuild) -> None:
    warehouse = generated_build.engine.warehouse
    relation = generated_build.run.relation
    signed_up = {
        str(user): _as_date(day)
        for user, day in warehouse.query(
            f"select user_key, signed_up_date from {relation('dim_users')}"
        )
    }
    # Every boolean flag of fct_user_segments_daily is a segment: a flag added there and not
    # to the model's list fails here.
    columns, rows = warehouse.query_with_columns(
        f"select * from {relation('fct_user_segments_daily')}"
    )
    flags = [name for name in columns if name.startswith("is_")]
    assert len(flags) >= 3, columns
    days: dict[str, list[tuple[date, set[tuple[str, str]]]]] = defaultdict(list)
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        members = {("label", record["segment"])} | {("flag", f) for f in flags if record[f]}
        days[str(record["user_key"])].append((_as_date(record["segment_date"]), members))

    expected = {}
    for user, timeline in days.items():
        timeline.sort()
        dates = [day for day, _ in timeline]
        assert all(b - a == timedelta(days=1) for a, b in itertools.pairwise(dates)), user
        stays: dict[tuple[str, str], int] = {}  # open stays: segment -> index of entry
        for index, (day, members) in enumerate([*timeline, (None, set())]):
            for kind, segment in list(stays):
                if (kind, segment) not in members:
                    start = stays.pop((kind, segment))
                    entered = dates[start]
                    expected[(user, segment, entered)] = (
                        kind,
                        index - start,
                        day is None,
                        start == 0 and signed_up[user] < entered,
                        dates[index - 1],
                        day,
                    )
            for member in members:
                stays.setdefault(member, index)

    rows = warehouse.query(
        f"select user_key, segment, entered_date, segment_kind, days_in_segment, is_current, "
        f"is_entered_before_range, last_date_in_segment, left_date "
        f"from {relation('fct_user_segment_changes')}"
    )
    actual = {
        (str(r[0]), str(r[1]), _as_date(r[2])): (
            r[3], int(r[4]), bool(r[5]), bool(r[6]), _as_date(r[7]),
            None if r[8] is None else _as_date(r[8]),
        )
        for r in rows
    }  # fmt: skip
    assert len(actual) == len(rows)
    assert actual == expected
    left = sum(1 for *_, left_date in expected.values() if left_date is not None)
    kinds = Counter(kind for kind, *_ in expected.values())
    assert left > 50 and kinds["flag"] > 50 and kinds["label"] > 500, (left, kinds)
