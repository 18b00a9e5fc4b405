"""Funnels, order conversion and experiment read-outs on generated data, on each engine.

The references are written here in plain Python from the rows of the core marts (fct_events,
dim_users, fct_orders, the staged exposures and the identity map) and from the funnel_steps
seed's CSV, following the definitions in models/marts/funnels/_funnels__models.yml, without
reading the SQL under test. The z-test is checked against scipy.
"""

from __future__ import annotations

import bisect
import csv
import math
import re
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pytest
from conftest import GeneratedBuild
from scipy.stats import norm

from growthkit.dbt_runner import PROJECT_ROOT
from growthkit.gen_contract import EVENT_TABLES, TRACKS
from growthkit.generate import parquet_path

#: The defaults of the vars in dbt_project.yml (the generated build does not override them).
FUNNEL_WINDOW_DAYS = 7
EXPERIMENT_WINDOW_DAYS = 7
CONTROL = "control"

#: (event_name, page_path LIKE pattern, property name, property value)
Step = tuple[str, str | None, str | None, str | None]


def _rows(build: GeneratedBuild, model: str, columns: str, where: str = "true") -> list[tuple]:
    relation = build.run.relation(model)
    return build.engine.warehouse.query(f"select {columns} from {relation} where {where}")


def _funnels() -> dict[str, tuple[list[Step], int]]:
    """The funnel_steps seed, read from its CSV: steps in order and the window in days."""
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (PROJECT_ROOT / "seeds" / "config" / "funnel_steps.csv").open() as handle:
        for row in csv.DictReader(handle):
            rows[row["funnel_name"]].append(row)
    funnels = {}
    for name, steps in rows.items():
        steps.sort(key=lambda row: int(row["step_number"]))
        assert [int(row["step_number"]) for row in steps] == list(range(1, len(steps) + 1))
        windows = {
            int(row["conversion_window_days"]) for row in steps if row["conversion_window_days"]
        }
        assert len(windows) <= 1
        funnels[name] = (
            [
                (
                    row["event_name"],
                    row["page_path_pattern"] or None,
                    row["property_name"] or None,
                    row["property_value"] or None,
                )
                for row in steps
            ],
            windows.pop() if windows else FUNNEL_WINDOW_DAYS,
        )
    return funnels


def _like(value: str | None, pattern: str | None) -> bool:
    """SQL LIKE for the patterns the seed uses: % and _ wildcards, no escapes."""
    if pattern is None:
        return True
    if value is None:
        return False

    regex = "".join(
        ".*" if char == "%" else "." if char == "_" else re.escape(char) for char in pattern
    )
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None


def _has_value(properties: dict[str, Any], name: str | None, expected: str | None) -> bool:
    """The step's property condition (none: true): numbers compared as numbers when the
    expected value reads as one, everything else as text ignoring case (booleans as
    'true' / 'false')."""
    if name is None:
        return True
    value = properties.get(name)
    if value is None or expected is None:
        return False
    if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", expected):
        try:
            return float(value) == float(expected)
        except ValueError:
            return False
    text = str(value).lower() if not isinstance(value, bool) else ("true" if value else "false")
    return text.strip() == expected.lower()


def _best_attempt(
    stream: list[tuple[datetime, str, str, str | None]],
    steps: list[Step],
    window: timedelta,
    properties: dict[str, dict[str, Any]] | None = None,
) -> list[tuple[str, datetime]]:
    """The (event_id, time) of each step reached by the entity's best attempt.

    ``stream``: (event_at, event_id, event_name, page_path). Every step-1 event opens an
    attempt; step k is the earliest event of step k (then smallest id) at or after step k-1,
    not already used by the attempt, no later than step 1 + window. Best: most steps, then
    earliest step 1, then smallest step-1 id.
    """
    by_step = []
    for event_name, pattern, property_name, property_value in steps:
        matching = sorted(
            (at, event_id)
            for at, event_id, name, path in stream
            if name == event_name
            and _like(path, pattern)
            and _has_value((properties or {}).get(event_id, {}), property_name, property_value)
        )
        by_step.append(matching)
    best: tuple[tuple[int, datetime, str], list[tuple[str, datetime]]] | None = None
    for start, first_id in by_step[0]:
        reached = [(first_id, start)]
        used = {first_id}
        deadline = start + window
        for candidates in by_step[1:]:
            previous_at = reached[-1][1]
            index = bisect.bisect_left(candidates, (previous_at, ""))
            found = None
            while index < len(candidates) and candidates[index][0] <= deadline:
                if candidates[index][1] not in used:
                    found = candidates[index]
                    break
                index += 1
            if found is None:
                break
            reached.append((found[1], found[0]))
            used.add(found[1])
        key = (-len(reached), start, first_id)
        if best is None or key < best[0]:
            best = (key, reached)
    return best[1] if best else []


def _event_properties(path: Path, event_names: set[str]) -> dict[str, dict[str, Any]]:
    """event_id -> {property: value} of the generated per-event tables of these events, read
    from the generated files (not from fct_event_properties)."""
    common = set(TRACKS.column_names)
    con = duckdb.connect()
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for table in EVENT_TABLES:
        if table.name not in event_names:
            continue
        columns = [name for name in table.column_names if name not in common]
        select = ", ".join(f'"{name}"' for name in columns)
        rows = con.execute(
            f"select trim(id), {select} from read_parquet('{parquet_path(path, table)}') "
            "where id is not null order by received_at"
        ).fetchall()
        for event_id, *values in rows:
            if event_id not in found:
                found[event_id] = dict(zip(columns, values, strict=True))
    return found


@pytest.fixture(scope="session")
def funnel_reference(
    generated: tuple[Path, dict[str, Any]], generated_build: GeneratedBuild
) -> dict[tuple, tuple]:
    """fct_funnel_steps as the plain-Python reference computes it from fct_events and, for
    steps with a property condition, the generated per-event tables."""
    funnels = _funnels()
    names = sorted({step[0] for steps, _ in funnels.values() for step in steps})
    conditioned = {step[0] for steps, _ in funnels.values() for step in steps if step[2]}
    properties = _event_properties(generated[0], conditioned)
    name_list = ", ".join(f"'{name}'" for name in names)
    events = _rows(
        generated_build,
        "fct_events",
        "user_key, event_at, event_id, event_name, page_path",
        f"event_name in ({name_list})",
    )
    accounts = dict(
        _rows(generated_build, "dim_users", "user_key, account_id", "account_id is not null")
    )
    streams: dict[tuple[str, str], list[tuple[datetime, str, str, str | None]]] = defaultdict(list)
    for user_key, at, event_id, event_name, page_path in events:
        streams[("user", user_key)].append((at, event_id, event_name, page_path))
        if user_key in accounts:
            streams[("account", accounts[user_key])].append((at, event_id, event_name, page_path))
    expected = {}
    for funnel_name, (steps, window_days) in funnels.items():
        for (entity_type, entity_id), stream in streams.items():
            reached = _best_attempt(stream, steps, timedelta(days=window_days), properties)
            for number, (event_id, at) in enumerate(reached, start=1):
                previous = (at - reached[number - 2][1]).total_seconds() if number > 1 else None
                entry = (at - reached[0][1]).total_seconds()
                expected[(funnel_name, entity_type, entity_id, number)] = (
                    event_id,
                    at,
                    previous,
                    entry,
                )
    return expected


def test_funnel_reference_is_not_trivial(funnel_reference: dict[tuple, tuple]) -> None:
    """Guard: the generated data converts through every step of every funnel, at both levels."""
    for funnel_name, (steps, _) in _funnels().items():
        for entity_type in ("user", "account"):
            last = sum(
                1
                for (funnel, kind, _, number) in funnel_reference
                if funnel == funnel_name and kind == entity_type and number == len(steps)
            )
            assert last >= 10, f"{funnel_name}/{entity_type}: {last} entities reach the end"


def test_funnel_steps_match_python_reference(
    generated_build: GeneratedBuild, funnel_reference: dict[tuple, tuple]
) -> None:
    rows = _rows(
        generated_build,
        "fct_funnel_steps",
        "funnel_name, entity_type, entity_id, step_number, event_id, reached_at, "
        "seconds_from_previous_step, seconds_from_entry",
    )
    actual = {(row[0], row[1], row[2], int(row[3])): row[4:] for row in rows}
    assert len(actual) == len(rows)
    missing = sorted(set(funnel_reference) - set(actual))[:5]
    extra = sorted(set(actual) - set(funnel_reference))[:5]
    assert not missing and not extra, f"missing {missing}, unexpected {extra}"
    wrong = []
    for key, (event_id, at, previous, entry) in funnel_reference.items():
        got_id, got_at, got_previous, got_entry = actual[key]
        same_previous = (previous is None and got_previous is None) or (
            previous is not None
            and got_previous is not None
            and math.isclose(got_previous, previous, abs_tol=1e-6)
        )
        if (
            got_id != event_id
            or got_at != at
            or not same_previous
            or not math.isclose(got_entry, entry, abs_tol=1e-6)
        ):
            wrong.append((key, actual[key], (event_id, at, previous, entry)))
    assert not wrong, f"{len(wrong)} rows differ, e.g. {wrong[:3]}"


def test_order_conversion_matches_python(generated_build: GeneratedBuild) -> None:
    """Population and flags from dim_users' first seen and fct_orders' completed orders (UTC)."""
    users = _rows(
        generated_build,
        "dim_users",
        "user_key, first_seen_at",
        "not is_internal and not is_bot and first_seen_at is not null",
    )
    first_orders: dict[str, datetime] = {}
    for user_key, ordered_at in _rows(
        generated_build, "fct_orders", "user_key, ordered_at", "status = 'completed'"
    ):
        if user_key not in first_orders or ordered_at < first_orders[user_key]:
            first_orders[user_key] = ordered_at
    expected: dict[str, tuple[Any, ...]] = {}
    for user_key, seen in users:
        order = first_orders.get(user_key)
        if order is not None and order < seen:
            continue  # an existing customer
        expected[user_key] = (
            None if order is None else (order - seen).total_seconds() / 3600,
            order is not None and order.date() == seen.date(),
            order is not None and order - seen <= timedelta(days=7),
        )
    rows = _rows(
        generated_build,
        "fct_order_conversion",
        "user_key, hours_to_first_order, converted_same_day, converted_within_7d",
    )
    actual = {row[0]: row[1:] for row in rows}
    assert set(actual) == set(expected)
    assert sum(flags[2] for flags in expected.values()) >= 20, "too few conversions to compare"
    assert any(flags[2] and not flags[1] for flags in expected.values())
    wrong = [
        (key, actual[key], value)
        for key, value in expected.items()
        if actual[key][1:] != value[1:]
        or (value[0] is None) != (actual[key][0] is None)
        or (value[0] is not None and not math.isclose(actual[key][0], value[0], abs_tol=1e-6))
    ]
    assert not wrong, f"{len(wrong)} users differ, e.g. {wrong[:3]}"


def test_experiment_results_match_python_and_scipy(generated_build: GeneratedBuild) -> None:
    """Counts from the staged exposures, the identity map and the orders; z and p from scipy."""
    links = dict(_rows(generated_build, "int_anonymous_ids_linked", "anonymous_id, user_id"))
    internal = {row[0] for row in _rows(generated_build, "int_users_flagged_internal", "user_id")}
    bots = {row[0] for row in _rows(generated_build, "dim_users", "user_key", "is_bot")}
    exposures: dict[tuple[str, str], list[tuple[datetime, str, str]]] = defaultdict(list)
    for event_id, anonymous_id, user_id, experiment, variation, is_listed, at in _rows(
        generated_build,
        "stg_segment__experiment_viewed",
        "event_id, anonymous_id, user_id, experiment_id, variation_id, is_listed_internal_user,"
        " event_at",
    ):
        user_key = user_id or links.get(anonymous_id) or anonymous_id
        if is_listed or user_key in internal or user_key in bots:
            continue
        exposures[(user_key, experiment)].append((at, event_id, variation))
    orders: dict[str, list[datetime]] = defaultdict(list)
    for user_key, at in _rows(
        generated_build, "fct_orders", "user_key, ordered_at", "is_completed"
    ):
        orders[user_key].append(at)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for (user_key, experiment), seen in exposures.items():
        first_at, _, variation = min(seen)
        limit = first_at + timedelta(days=EXPERIMENT_WINDOW_DAYS)
        cell = counts[(experiment, variation)]
        cell[0] += 1
        cell[1] += any(first_at <= at <= limit for at in orders[user_key])
        cell[2] += len({v for _, _, v in seen}) > 1
    rows = _rows(
        generated_build,
        "agg_experiment_results",
        "experiment_id, variation_id, users, converted_users, contaminated_users, "
        "conversion_rate, lift_vs_control, z_score, p_value",
    )
    actual = {(row[0], row[1]): row[2:] for row in rows}
    assert {key: tuple(int(v) for v in value[:3]) for key, value in actual.items()} == {
        key: tuple(value) for key, value in counts.items()
    }
    tested = 0
    for (experiment, variation), (users, converted, _, rate, lift, z, p) in actual.items():
        control_users, control_converted, _ = counts[(experiment, CONTROL)]
        assert math.isclose(rate, converted / users, rel_tol=1e-12)
        if variation == CONTROL:
            assert lift is None and z is None and p is None
            continue
        control_rate = control_converted / control_users
        pooled = (converted + control_converted) / (users + control_users)
        se = math.sqrt(pooled * (1 - pooled) * (1 / users + 1 / control_users))
        z_expected = (converted / users - control_rate) / se
        p_expected = 2 * norm.sf(abs(z_expected))
        assert math.isclose(lift, (converted / users) / control_rate - 1, rel_tol=1e-9)
        assert math.isclose(z, z_expected, rel_tol=1e-9, abs_tol=1e-12)
        assert math.isclose(p, p_expected, rel_tol=1e-7, abs_tol=1e-15)
        tested += 1
    assert tested >= 2, "expected a variant row per experiment"


def _normal_cdf_sql(x: str) -> str:
    """The normal_cdf macro rendered with plain Jinja: it uses nothing of dbt's but the macro
    type_double, whose DuckDB and PostgreSQL version is given here (the query runs on DuckDB
    or PostgreSQL: the Spark warehouse is read through DuckDB)."""
    source = (PROJECT_ROOT / "macros" / "normal_cdf.sql").read_text()
    env = jinja2.Environment()
    env.globals["type_double"] = lambda: "double precision"
    return env.from_string(source + "{{ normal_cdf('" + x + "') }}").render()


def test_normal_cdf_macro_matches_scipy(generated_build: GeneratedBuild) -> None:
    """The normal_cdf macro on a grid over [-38, 38]: absolute error and lower-tail relative
    error against scipy.stats.norm.cdf, computed by the engine itself."""
    grid = [round(-38 + 0.038 * i, 6) for i in range(2001)] + [-1.959963984540054, 1e-9, -1e-9]
    values = ", ".join(f"({x!r})" for x in grid)
    rows = generated_build.engine.warehouse.query(
        f"select x, {_normal_cdf_sql('x')} as phi from ("
        f"select cast(v as double precision) as x from (values {values}) as points (v)"
        f") as grid"
    )
    assert len(rows) == len(grid)
    worst_absolute = worst_relative = 0.0
    for x, phi in rows:
        expected = float(norm.cdf(x))
        worst_absolute = max(worst_absolute, abs(phi - expected))
        if -37 <= x < 0:  # beyond 37 the macro returns 0 (the tail is below 1e-300)
            worst_relative = max(worst_relative, abs(phi - expected) / expected)
    assert worst_absolute < 1e-15
    assert worst_relative < 1e-7
