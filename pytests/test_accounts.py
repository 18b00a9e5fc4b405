"""Account marts on generated data, against plain Python.

Each test reads lower-level rows of the shared generated build (stg_segment__groups,
dim_users, fct_events), recomputes an account mart from them in plain Python, following the
definitions in models/marts/accounts/_accounts__models.yml, and compares with what the SQL
built, row for row, on each engine. The build uses the default vars: weekly periods,
reporting time zone UTC, any event as start and activity, plans free (trial) and team,
enterprise (paid), conversion windows of 30 and 90 days. Account membership is the user's
latest account (dim_users.account_id).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from conftest import GeneratedBuild

#: Defaults of the vars in dbt_project.yml that the generated build runs with.
TRIAL_PLANS = {"free"}
PAID_PLANS = {"team", "enterprise"}
WINDOWS_DAYS = [30, 90]
ENGAGEMENT_EVENTS = {"report_created", "project_created", "invited_teammate"}


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _as_date(value: object) -> date:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def _close(actual: float | None, expected: float | None) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)


def _query(build: GeneratedBuild, model: str, columns: str) -> list[tuple]:
    relation = build.run.relation(model)
    return [tuple(row) for row in build.engine.warehouse.query(f"select {columns} from {relation}")]


def _group_calls(build: GeneratedBuild) -> dict[str, list[tuple[datetime, str, str, str]]]:
    """Group calls by account, in the mart's order: event_at, then group_call_id."""
    calls: dict[str, list[tuple[datetime, str, str, str]]] = defaultdict(list)
    for account, call_id, name, plan, at in _query(
        build, "stg_segment__groups", "account_id, group_call_id, account_name, plan, event_at"
    ):
        calls[str(account)].append((at, str(call_id), name, plan))
    for account_calls in calls.values():
        account_calls.sort(key=lambda call: (call[0], call[1]))
    assert len(calls) > 100, "the generated data should have many accounts"
    return calls


def _history(
    calls: dict[str, list[tuple[datetime, str, str, str]]],
) -> dict[tuple[str, int], tuple[str, str, int, datetime, datetime | None]]:
    """(account, version) -> (name, plan, group calls, valid_from, valid_to)."""
    history = {}
    for account, account_calls in calls.items():
        versions: list[list] = []
        for at, _, name, plan in account_calls:
            if versions and (versions[-1][0], versions[-1][1]) == (name, plan):
                versions[-1][2] += 1
            else:
                versions.append([name, plan, 1, at])
        for number, (name, plan, count, valid_from) in enumerate(versions, start=1):
            valid_to = versions[number][3] if number < len(versions) else None
            history[(account, number)] = (name, plan, count, valid_from, valid_to)
    return history


def _members(build: GeneratedBuild) -> dict[str, str]:
    """user_key -> account_id of users with an account."""
    rows = _query(build, "dim_users", "user_key, account_id")
    return {str(user): str(account) for user, account in rows if account is not None}


def _events(build: GeneratedBuild) -> list[tuple[str, str, datetime, date]]:
    rows = _query(build, "fct_events", "user_key, event_name, event_at, event_date")
    assert len(rows) > 10_000, "the generated data should have many events"
    return [(str(user), str(name), at, _as_date(day)) for user, name, at, day in rows]


def _account_weeks(
    events: list[tuple[str, str, datetime, date]], members: dict[str, str]
) -> dict[str, set[date]]:
    weeks: dict[str, set[date]] = defaultdict(set)
    for user, _, at, _ in events:
        if user in members:
            weeks[members[user]].add(_monday(at.date()))
    return weeks


def test_account_history_matches_python(generated_build: GeneratedBuild) -> None:
    calls = _group_calls(generated_build)
    expected = _history(calls)
    rows = _query(
        generated_build,
        "dim_account_history",
        "account_id, version_number, account_name, plan, group_calls, valid_from, valid_to, "
        "is_current, is_trial_plan, is_paid_plan",
    )
    actual = {(str(r[0]), int(r[1])): (r[2], r[3], int(r[4]), r[5], r[6]) for r in rows}
    assert len(actual) == len(rows)
    assert actual == expected
    for _, _, _, plan, _, _, valid_to, current, trial, paid in rows:
        assert bool(current) == (valid_to is None)
        assert bool(trial) == (plan in TRIAL_PLANS) and bool(paid) == (plan in PAID_PLANS)
    # upgrades (free -> team) and collapsed repeats both occur
    assert sum(1 for (_, number) in expected if number > 1) >= 2
    assert sum(1 for value in expected.values() if value[2] > 1) > 10
    # the current row is dim_accounts' row
    current = {str(r[0]): (r[2], r[3]) for r in rows if r[7]}
    accounts = _query(generated_build, "dim_accounts", "account_id, account_name, plan")
    assert current == {str(account): (name, plan) for account, name, plan in accounts}


def test_account_plan_conversion_matches_python(generated_build: GeneratedBuild) -> None:
    calls = _group_calls(generated_build)
    history = _history(calls)
    events = _events(generated_build)
    observed = max(
        max(at for _, _, at, _ in events),
        max(call[0] for account_calls in calls.values() for call in account_calls),
    )
    cohorts: dict[date, list[tuple[datetime, str | None, datetime | None]]] = defaultdict(list)
    by_account: dict[str, list[tuple]] = defaultdict(list)
    for (account, _), version in sorted(history.items()):
        by_account[account].append(version)
    for versions in by_account.values():
        started = versions[0][3]
        first_paid = next((v[3] for v in versions if v[1] in PAID_PLANS), None)
        cohorts[started.date().replace(day=1)].append((started, versions[0][1], first_paid))

    expected = {}
    for month, accounts in cohorts.items():
        trials = [(s, paid) for s, plan, paid in accounts if plan in TRIAL_PLANS]
        days = [(paid - s).total_seconds() / 86400 for s, paid in trials if paid is not None]
        for window in WINDOWS_DAYS:
            within = sum(
                1 for s, paid in trials if paid is not None and paid <= s + timedelta(days=window)
            )
            expected[(month, f"{window}d")] = (
                window,
                len(accounts),
                len(trials),
                sum(1 for _, plan, _ in accounts if plan in PAID_PLANS),
                len(days),
                len(days) / len(trials) if trials else None,
                within,
                within / len(trials) if trials else None,
                statistics.median(days) if days else None,
                statistics.fmean(days) if days else None,
                not trials or max(s for s, _ in trials) + timedelta(days=window) <= observed,
            )

    rows = _query(
        generated_build,
        "agg_account_plan_conversion",
        "cohort_month, conversion_window, window_days, accounts, trial_accounts, "
        "paid_start_accounts, converted_accounts, conversion_rate, converted_within_window, "
        "conversion_rate_within_window, median_days_to_paid, mean_days_to_paid, "
        "is_window_complete",
    )
    actual = {(_as_date(r[0]), r[1]): r[2:] for r in rows}
    assert len(actual) == len(rows)
    assert actual.keys() == expected.keys()
    for key, want in expected.items():
        got = actual[key]
        ints, floats = (0, 1, 2, 3, 4, 6), (5, 7, 8, 9)
        assert [int(got[i]) for i in ints] == [want[i] for i in ints], key
        assert all(_close(got[i], want[i]) for i in floats), (key, got, want)
        assert bool(got[10]) == want[10], key
    # trials, paid starts and conversions all occur (counted once per cohort: 30d rows)
    cohort_rows = [want for (_, window), want in expected.items() if window == "30d"]
    assert sum(want[2] for want in cohort_rows) > 50
    assert sum(want[3] for want in cohort_rows) > 10
    assert sum(want[4] for want in cohort_rows) >= 2


def test_account_retention_cohorts_match_python(generated_build: GeneratedBuild) -> None:
    events = _events(generated_build)
    members = _members(generated_build)
    weeks = _account_weeks(events, members)
    last_week = _monday(max(at for _, _, at, _ in events).date())
    last_date = max(day for _, _, _, day in events)

    sizes: Counter[date] = Counter()
    active: Counter[tuple[date, int]] = Counter()
    unbounded: Counter[tuple[date, int]] = Counter()
    for account_weeks in weeks.values():
        cohort = min(account_weeks)
        sizes[cohort] += 1
        periods = {(week - cohort).days // 7 for week in account_weeks}
        for k in periods:
            active[(cohort, k)] += 1
        for k in range(max(periods) + 1):
            unbounded[(cohort, k)] += 1
    expected = {}
    for cohort, size in sizes.items():
        for k in range((last_week - cohort).days // 7 + 1):
            start = cohort + timedelta(weeks=k)
            expected[(cohort, k)] = (
                size,
                active[(cohort, k)],
                unbounded[(cohort, k)],
                start,
                last_date < start + timedelta(days=6),
            )

    rows = _query(
        generated_build,
        "agg_account_retention_cohorts",
        "cohort_start, period_number, cohort_accounts, active_accounts, "
        "retained_accounts_unbounded, period_start, is_partial_period, retention_rate, "
        "retention_rate_unbounded, cohort_grain",
    )
    actual = {
        (_as_date(r[0]), int(r[1])): (int(r[2]), int(r[3]), int(r[4]), _as_date(r[5]), bool(r[6]))
        for r in rows
    }
    assert len(actual) == len(rows)
    assert actual == expected
    assert len(sizes) >= 3 and max(k for _, k in expected) >= 2, "too few cohorts to judge"
    for row in rows:
        assert math.isclose(row[7], int(row[3]) / int(row[2]), rel_tol=1e-12)
        assert math.isclose(row[8], int(row[4]) / int(row[2]), rel_tol=1e-12)
        assert row[9] == "week"


def test_account_lifecycle_matches_python(generated_build: GeneratedBuild) -> None:
    weeks = _account_weeks(_events(generated_build), _members(generated_build))
    last_week = _monday(max(at for _, _, at, _ in _events(generated_build)).date())
    expected: dict[tuple[str, date], tuple[str, int | None]] = {}
    for account, active in weeks.items():
        ordered = sorted(active)
        for previous, week in zip([None, *ordered[:-1]], ordered, strict=True):
            if previous is None:
                expected[(account, week)] = ("new", None)
            else:
                gap = (week - previous).days // 7
                expected[(account, week)] = ("returning" if gap == 1 else "resurrecting", gap)
            following = week + timedelta(weeks=1)
            if following not in active and following <= last_week:
                expected[(account, following)] = ("dormant", 1)

    rows = _query(
        generated_build,
        "fct_account_lifecycle",
        "account_id, period_start, status, periods_since_active, is_active",
    )
    actual = {
        (str(r[0]), _as_date(r[1])): (r[2], None if r[3] is None else int(r[3])) for r in rows
    }
    assert len(actual) == len(rows)
    assert actual == expected
    assert all(bool(r[4]) == (r[2] != "dormant") for r in rows)
    statuses = Counter(status for status, _ in expected.values())
    assert all(statuses[s] > 0 for s in ("new", "returning", "resurrecting", "dormant"))

    rows = _query(generated_build, "agg_account_lifecycle", "period_start, status, accounts")
    counts = Counter((week, status) for (_, week), (status, _) in expected.items())
    assert {(_as_date(week), status): int(n) for week, status, n in rows} == counts


def test_account_engagement_weekly_matches_python(generated_build: GeneratedBuild) -> None:
    events = _events(generated_build)
    members = _members(generated_build)
    engaged: dict[tuple[str, date], bool] = {}
    for user, name, _, day in events:
        if user in members:
            key = (members[user], _monday(day))
            engaged[key] = engaged.get(key, False) or name in ENGAGEMENT_EVENTS
    last_date = max(day for _, _, _, day in events)
    accounts: Counter[date] = Counter(week for _, week in engaged)
    engaged_accounts: Counter[date] = Counter(week for (_, week), e in engaged.items() if e)
    expected = {
        week: (n, engaged_accounts[week], last_date < week + timedelta(days=6))
        for week, n in accounts.items()
    }

    rows = _query(
        generated_build,
        "agg_account_engagement_weekly",
        "week_start, accounts, engaged_accounts, is_partial_week, engaged_rate",
    )
    actual = {_as_date(r[0]): (int(r[1]), int(r[2]), bool(r[3])) for r in rows}
    assert actual == expected
    assert len(expected) >= 3 and sum(engaged_accounts.values()) > 0
    assert any(n < accounts[week] for week, n in engaged_accounts.items())
    for row in rows:
        assert math.isclose(row[4], int(row[2]) / int(row[1]), rel_tol=1e-12)
