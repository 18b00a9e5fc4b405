"""Retention, lifecycle, returns and segments on generated data, against plain Python.

Each test reads the rows of the core marts the shared generated build made (fct_events,
fct_sessions, dim_users), recomputes a retention mart from them in plain Python, following
the definitions written in models/marts/retention/_retention__models.yml, and compares with
what the SQL built, row for row, on each engine. The build uses the default vars: weekly
periods, reporting time zone UTC, first seen as the cohort start, any event as activity.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from conftest import GeneratedBuild

#: Defaults of the vars in dbt_project.yml that the generated build runs with.
RETURN_WINDOW = timedelta(days=7)
POWER_WINDOW_DAYS = 14
POWER_MIN_DAYS = 4
ACTIVATION = "project_created"
CORE_ACTIONS = {"dashboard_viewed", "report_created"}
ACTIVATION_HOURS = timedelta(hours=24)
INACTIVE = timedelta(days=14)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _as_date(value: object) -> date:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def _events(build: GeneratedBuild) -> list[tuple[str, str, datetime]]:
    relation = build.run.relation("fct_events")
    rows = build.engine.warehouse.query(f"select user_key, event_name, event_at from {relation}")
    assert len(rows) > 10_000, "the generated data should have many events"
    return [(str(user), str(name), at) for user, name, at in rows]


def _channels(build: GeneratedBuild) -> dict[str, str]:
    relation = build.run.relation("dim_users")
    rows = build.engine.warehouse.query(f"select user_key, acquisition_channel from {relation}")
    return {str(user): channel or "unknown" for user, channel in rows}


def _active_weeks(events: list[tuple[str, str, datetime]]) -> dict[str, set[date]]:
    weeks: dict[str, set[date]] = defaultdict(set)
    for user, _, at in events:
        weeks[user].add(_monday(at.date()))
    return weeks


def test_retention_cohorts_match_python(generated_build: GeneratedBuild) -> None:
    events = _events(generated_build)
    channels = _channels(generated_build)
    first_seen: dict[str, datetime] = {}
    for user, _, at in events:
        if user not in first_seen or at < first_seen[user]:
            first_seen[user] = at
    last_week = _monday(max(at for _, _, at in events).date())
    periods: dict[str, set[int]] = defaultdict(set)
    for user, _, at in events:
        cohort = _monday(first_seen[user].date())
        periods[user].add((_monday(at.date()) - cohort).days // 7)

    sizes: Counter[tuple[date, str]] = Counter()
    active: Counter[tuple[date, str, int]] = Counter()
    unbounded: Counter[tuple[date, str, int]] = Counter()
    for user, started in first_seen.items():
        key = (_monday(started.date()), channels[user])
        sizes[key] += 1
        for k in periods[user]:
            active[(*key, k)] += 1
        for k in range(max(periods[user]) + 1):
            unbounded[(*key, k)] += 1
    expected = {}
    for (cohort, channel), size in sizes.items():
        for k in range((last_week - cohort).days // 7 + 1):
            key = (cohort, channel, k)
            expected[key] = (size, active[key], unbounded[key])

    relation = generated_build.run.relation("agg_retention_cohorts")
    rows = generated_build.engine.warehouse.query(
        f"select cohort_start, acquisition_channel, period_number, cohort_users, active_users, "
        f"retained_users_unbounded, retention_rate, retention_rate_unbounded, period_start, "
        f"cohort_grain from {relation}"
    )
    actual = {
        (_as_date(row[0]), row[1], int(row[2])): (int(row[3]), int(row[4]), int(row[5]))
        for row in rows
    }
    assert len(actual) == len(rows)
    assert actual == expected
    assert len(sizes) > 10 and max(k for _, _, k in expected) >= 3, "too few cohorts to judge"
    for row in rows:
        cohort_users, active_users, retained = int(row[3]), int(row[4]), int(row[5])
        assert math.isclose(row[6], active_users / cohort_users, rel_tol=1e-12)
        assert math.isclose(row[7], retained / cohort_users, rel_tol=1e-12)
        assert _as_date(row[8]) == _as_date(row[0]) + timedelta(weeks=int(row[2]))
        assert row[9] == "week"


def test_user_lifecycle_matches_python(generated_build: GeneratedBuild) -> None:
    events = _events(generated_build)
    weeks = _active_weeks(events)
    last_week = max(max(active) for active in weeks.values())
    expected: dict[tuple[str, date], str] = {}
    for user, active in weeks.items():
        first = min(active)
        for week in active:
            if week == first:
                status = "new"
            elif week - timedelta(weeks=1) in active:
                status = "returning"
            else:
                status = "resurrecting"
            expected[(user, week)] = status
            following = week + timedelta(weeks=1)
            if following not in active and following <= last_week:
                expected[(user, following)] = "dormant"

    relation = generated_build.run.relation("fct_user_lifecycle")
    rows = generated_build.engine.warehouse.query(
        f"select user_key, period_start, status from {relation}"
    )
    actual = {(str(user), _as_date(week)): status for user, week, status in rows}
    assert len(actual) == len(rows)
    assert actual == expected
    statuses = Counter(expected.values())
    assert all(statuses[s] > 0 for s in ("new", "returning", "resurrecting", "dormant"))

    relation = generated_build.run.relation("agg_lifecycle")
    rows = generated_build.engine.warehouse.query(
        f"select period_start, status, users from {relation}"
    )
    counts = Counter((week, status) for (_, week), status in expected.items())
    assert {(_as_date(week), status): int(users) for week, status, users in rows} == counts


def test_user_returns_match_python(generated_build: GeneratedBuild) -> None:
    events = _events(generated_build)
    first_seen: dict[str, datetime] = {}
    for user, _, at in events:
        if user not in first_seen or at < first_seen[user]:
            first_seen[user] = at
    relation = generated_build.run.relation("fct_sessions")
    starts: dict[str, list[datetime]] = defaultdict(list)
    for user, started_at in generated_build.engine.warehouse.query(
        f"select user_key, started_at from {relation}"
    ):
        starts[str(user)].append(started_at)
    expected = {}
    for user, times in starts.items():
        first = min(times)
        later = [t for t in times if t > first]
        returned_at = min(later) if later else None
        within = returned_at is not None and returned_at <= first_seen[user] + RETURN_WINDOW
        expected[user] = (returned_at, within)

    relation = generated_build.run.relation("fct_user_returns")
    rows = generated_build.engine.warehouse.query(
        f"select user_key, returned_at, returned_within_7d, days_to_return, first_seen_at "
        f"from {relation}"
    )
    assert {str(row[0]): (row[1], bool(row[2])) for row in rows} == expected
    assert 0 < sum(within for _, within in expected.values()) < len(expected)
    for _, returned_at, _, days, seen in rows:
        if returned_at is None:
            assert days is None
        else:
            assert math.isclose(days, (returned_at - seen).total_seconds() / 86400, rel_tol=1e-9)


def test_user_segments_match_python(generated_build: GeneratedBuild) -> None:
    events = _events(generated_build)
    as_of_date = max(at for _, _, at in events).date()
    as_of_end = datetime.combine(as_of_date + timedelta(days=1), datetime.min.time())
    window_start = as_of_date - timedelta(days=POWER_WINDOW_DAYS - 1)
    relation = generated_build.run.relation("dim_users")
    signups = {
        str(user): signed_up_at
        for user, signed_up_at in generated_build.engine.warehouse.query(
            f"select user_key, signed_up_at from {relation} "
            f"where signed_up_at is not null and not is_internal and not is_bot"
        )
        if signed_up_at < as_of_end
    }
    activated: dict[str, datetime] = {}
    last_core: dict[str, datetime] = {}
    core_days: dict[str, set[date]] = defaultdict(set)
    for user, name, at in events:
        if user not in signups or at >= as_of_end:
            continue
        if name == ACTIVATION and (user not in activated or at < activated[user]):
            activated[user] = at
        if name in CORE_ACTIONS:
            last_core[user] = max(at, last_core.get(user, at))
            if at.date() >= window_start:
                core_days[user].add(at.date())
    expected = {}
    for user, signed_up_at in signups.items():
        activated_at = activated.get(user)
        power = activated_at is not None and len(core_days[user]) >= POWER_MIN_DAYS
        settled = signed_up_at < as_of_end - ACTIVATION_HOURS
        short = settled and (activated_at is None or activated_at > signed_up_at + ACTIVATION_HOURS)
        last_seen = max(last_core.get(user, signed_up_at), signed_up_at)
        long = last_seen < as_of_end - INACTIVE
        if power:
            segment = "power_user"
        elif long:
            segment = "churn_risk_long_term"
        elif short:
            segment = "churn_risk_short_term"
        elif not settled:
            segment = "new"
        else:
            segment = "casual"
        expected[user] = (segment, len(core_days[user]), power, short, long)

    relation = generated_build.run.relation("dim_user_segments")
    rows = generated_build.engine.warehouse.query(
        f"select user_key, segment, core_active_days_in_window, is_power_user, "
        f"is_churn_risk_short_term, is_churn_risk_long_term from {relation}"
    )
    actual = {str(row[0]): (row[1], int(row[2]), *map(bool, row[3:])) for row in rows}
    assert actual == expected
    segments = Counter(segment for segment, *_ in expected.values())
    assert len(segments) == 5, f"every segment should occur in the generated data: {segments}"


def test_segments_daily_has_a_bounded_range(generated_build: GeneratedBuild) -> None:
    """28 dates ending on the latest event date by default; users only from their signup."""
    relation = generated_build.run.relation("fct_user_segments_daily")
    first, last, rows = generated_build.engine.warehouse.query(
        f"select min(segment_date), max(segment_date), count(*) from {relation}"
    )[0]
    latest = generated_build.engine.warehouse.scalar(
        f"select max(event_date) from {generated_build.run.relation('fct_events')}"
    )
    assert _as_date(last) == _as_date(latest)
    assert (_as_date(last) - _as_date(first)).days <= 27
    signed_up = generated_build.engine.warehouse.scalar(
        f"select count(*) from {relation} as daily "
        f"inner join {generated_build.run.relation('dim_users')} as users "
        f"on daily.user_key = users.user_key "
        f"where cast(users.signed_up_at as date) > daily.segment_date"
    )
    assert int(rows) > 0 and int(signed_up) == 0
