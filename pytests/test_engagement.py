"""Stickiness, active days per week and the engagement pyramid on generated data, against
plain Python.

Each test reads fct_events (and dim_users) rows of the shared generated build, recomputes a
mart of models/marts/retention from them in plain Python following the definitions in
_retention__models.yml, and compares with what the SQL built, row for row, on each engine. The
build uses the default vars: reporting time zone UTC (so event_date is the UTC date), any event
as stickiness activity, a 28-day MAU window, engagement and contributor events as below.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, timedelta

from conftest import GeneratedBuild

#: Defaults of the vars in dbt_project.yml that the generated build runs with.
MAU_DAYS = 28
ENGAGEMENT = {"report_created", "project_created", "invited_teammate"}
CONTRIBUTOR = {"invited_teammate"}
LEVELS = ["visitors", "returning_visitors", "signed_up", "engaged", "contributors"]


def _as_date(value: object) -> date:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def _events(build: GeneratedBuild) -> list[tuple[str, str, date]]:
    relation = build.run.relation("fct_events")
    rows = build.engine.warehouse.query(f"select user_key, event_name, event_date from {relation}")
    assert len(rows) > 10_000, "the generated data should have many events"
    return [(str(user), str(name), _as_date(day)) for user, name, day in rows]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _close(actual: float | None, expected: float | None) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)


def _compare(actual: dict, expected: dict, floats: set[int]) -> None:
    """Same keys, and per key the same values (positions in ``floats`` with a tolerance)."""
    assert actual.keys() == expected.keys()
    for key, values in expected.items():
        got = actual[key]
        same = all(
            _close(a, e) if i in floats else a == e
            for i, (a, e) in enumerate(zip(got, values, strict=True))
        )
        assert same, f"{key}: built {got}, expected {values}"


def test_stickiness_daily_matches_python(generated_build: GeneratedBuild) -> None:
    events = _events(generated_build)
    first = min(day for _, _, day in events)
    last = max(day for _, _, day in events)
    active: dict[date, set[str]] = defaultdict(set)
    for user, _, day in events:
        active[day].add(user)
    expected = {}
    day = first
    while day <= last:

        def window(days: int, end: date = day) -> set[str]:
            users: set[str] = set()
            for back in range(days):
                users |= active.get(end - timedelta(days=back), set())
            return users

        dau, wau, mau = len(active.get(day, ())), len(window(7)), len(window(MAU_DAYS))
        expected[day] = (
            dau,
            wau,
            mau,
            MAU_DAYS,
            _ratio(dau, mau),
            _ratio(dau, wau),
            day - timedelta(days=6) >= first,
            day - timedelta(days=MAU_DAYS - 1) >= first,
        )
        day += timedelta(days=1)

    relation = generated_build.run.relation("agg_stickiness_daily")
    rows = generated_build.engine.warehouse.query(
        f"select activity_date, dau, wau, mau, mau_window_days, dau_mau_ratio, dau_wau_ratio, "
        f"is_wau_window_complete, is_mau_window_complete from {relation}"
    )
    actual = {
        _as_date(row[0]): (*(int(v) for v in row[1:5]), row[5], row[6], bool(row[7]), bool(row[8]))
        for row in rows
    }
    assert len(actual) == len(rows)
    _compare(actual, expected, floats={4, 5})
    assert len(expected) >= 14, "too few dates to judge"
    # guard: the windows matter (MAU holds users not active that day, WAU less than MAU)
    assert any(v[2] > v[1] > v[0] > 0 for v in expected.values())


def test_active_days_weekly_matches_python(generated_build: GeneratedBuild) -> None:
    events = _events(generated_build)
    first = min(day for _, _, day in events)
    last = max(day for _, _, day in events)
    days: dict[tuple[date, str], set[date]] = defaultdict(set)
    for user, _, day in events:
        days[(_monday(day), user)].add(day)
    per_week: dict[date, list[int]] = {}
    week = _monday(first)
    while week <= last:
        per_week[week] = [0] * 8
        week += timedelta(weeks=1)
    for (week, _), dates in days.items():
        per_week[week][len(dates)] += 1
    expected = {}
    for week, counts in per_week.items():
        active_users = sum(counts)
        partial = week < first or week + timedelta(days=6) > last
        for n in range(1, 8):
            at_least = sum(counts[n:])
            expected[(week, n)] = (
                counts[n],
                at_least,
                active_users,
                _ratio(counts[n], active_users),
                _ratio(at_least, active_users),
                partial,
            )

    relation = generated_build.run.relation("agg_active_days_weekly")
    rows = generated_build.engine.warehouse.query(
        f"select week_start, active_days, users, users_at_least, active_users, "
        f"share_of_active_users, share_at_least, is_partial_week from {relation}"
    )
    actual = {
        (_as_date(row[0]), int(row[1])): (
            *(int(v) for v in row[2:5]),
            row[5],
            row[6],
            bool(row[7]),
        )
        for row in rows
    }
    assert len(actual) == len(rows)
    _compare(actual, expected, floats={3, 4})
    # guard: several weeks, and users active on several days of a week
    assert len(per_week) >= 3
    assert sum(counts[n] for counts in per_week.values() for n in range(3, 8)) > 0


def test_engagement_pyramid_matches_python(generated_build: GeneratedBuild) -> None:
    events = _events(generated_build)
    last = max(day for _, _, day in events)
    relation = generated_build.run.relation("dim_users")
    signed_up = {
        str(user): _as_date(day)
        for user, day in generated_build.engine.warehouse.query(
            f"select user_key, signed_up_date from {relation} where signed_up_date is not null"
        )
    }
    for model, column, start, following in (
        ("agg_engagement_pyramid_weekly", "week_start", _monday, lambda d: d + timedelta(7)),
        ("agg_engagement_pyramid_monthly", "month_start", _month, _next_month),
    ):
        visited: dict[date, set[str]] = defaultdict(set)
        engaged: dict[date, set[str]] = defaultdict(set)
        contributed: dict[date, set[str]] = defaultdict(set)
        first_period: dict[str, date] = {}
        for user, name, day in events:
            period = start(day)
            visited[period].add(user)
            if name in ENGAGEMENT:
                engaged[period].add(user)
            if name in CONTRIBUTOR:
                contributed[period].add(user)
            first_period[user] = min(period, first_period.get(user, period))
        expected = {}
        for period, visitors in visited.items():
            end = following(period)  # exclusive
            returning = {u for u in visitors if first_period[u] < period}
            members = {u for u in returning if u in signed_up and signed_up[u] < end}
            level_sets = [
                visitors,
                returning,
                members,
                members & engaged[period],
                members & engaged[period] & contributed[period],
            ]
            counts = [len(users) for users in level_sets]
            for number, (name, persons) in enumerate(zip(LEVELS, counts, strict=True), 1):
                expected[(period, number)] = (
                    name,
                    persons,
                    _ratio(persons, counts[0]),
                    _ratio(persons, counts[number - 2]) if number > 1 else None,
                    end - timedelta(days=1) > last,
                )

        relation = generated_build.run.relation(model)
        rows = generated_build.engine.warehouse.query(
            f"select {column}, level_number, level_name, persons, share_of_visitors, "
            f"share_of_level_above, is_partial_{column.split('_')[0]} from {relation}"
        )
        actual = {
            (_as_date(row[0]), int(row[1])): (row[2], int(row[3]), row[4], row[5], bool(row[6]))
            for row in rows
        }
        assert len(actual) == len(rows)
        _compare(actual, expected, floats={2, 3})
        assert expected, model
        if column == "week_start":
            # guard: every level has persons in some week, so the comparison covers each rule
            # (the 21 days of data are in one or two months: nobody returns by month there)
            for number in range(1, 6):
                assert any(v[1] > 0 for (_, n), v in expected.items() if n == number), number
