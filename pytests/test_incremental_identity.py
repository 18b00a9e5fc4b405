"""Identity that arrives in a later batch: an incremental build equals a full refresh.

Hand-written raw calls, loaded in two batches into a database of their own. Each device covers
one case of a link that reaches the warehouse after the anonymous history it claims:

- ``d_staff``: anonymous pages in batch 1; in batch 2 the device's first link names a user
  whose identify email is at an internal domain. The whole device leaves the event marts.
- ``d_seeded``: a device shared by u_seeded (its first link) and u_guest, all in batch 1;
  between the runs u_seeded is added to the internal_users seed. u_guest's event stays, in a
  session of its own.
- ``d_new``: anonymous pages in batch 1; in batch 2 the first link names an ordinary user,
  who takes the anonymous history.
- ``d_shared``: linked to u_first in batch 1; in batch 2 u_second identifies on the device too.
  The anonymous history stays with u_first.

After the two incremental runs, the event marts hold exactly the rows written below by hand,
and equal a ``--full-refresh`` build of the same data.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import data_selection, load_generated, own_database, write_raw_batch

from growthkit.dbt_runner import DbtRun, Engine
from growthkit.gen_contract import IDENTIFIES, PAGES, TRACKS, RawTable

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
#: Batch 1 is received on 2024-06-03, batch 2 on 2024-06-05 (within the default lookback).
DAY1 = datetime(2024, 6, 3)
DAY2 = datetime(2024, 6, 5)
SOURCE_VARS = {"segment_schema": "segment", "shop_schema": "shop", "marketing_schema": "marketing"}


def _times(at: datetime) -> dict[str, datetime]:
    return {
        "timestamp": at,
        "original_timestamp": at,
        "sent_at": at,
        "received_at": at + timedelta(seconds=1),
    }


def page(call_id: str, anonymous_id: str, user_id: str | None, at: datetime) -> dict[str, Any]:
    return {
        "id": call_id,
        "anonymous_id": anonymous_id,
        "user_id": user_id,
        "url": "https://shop.example/pricing",
        "path": "/pricing",
        "context_user_agent": BROWSER,
        "context_library_name": "analytics.js",
        **_times(at),
    }


def track(call_id: str, anonymous_id: str, user_id: str | None, at: datetime) -> dict[str, Any]:
    return {
        "id": call_id,
        "anonymous_id": anonymous_id,
        "user_id": user_id,
        "event": "report_created",
        "event_text": "Report Created",
        "context_user_agent": BROWSER,
        "context_library_name": "analytics.js",
        **_times(at),
    }


def identify(
    call_id: str, anonymous_id: str, user_id: str, email: str, at: datetime
) -> dict[str, Any]:
    return {
        "id": call_id,
        "anonymous_id": anonymous_id,
        "user_id": user_id,
        "email": email,
        "context_user_agent": BROWSER,
        **_times(at),
    }


def at(day: datetime, clock: str) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return day + timedelta(hours=hours, minutes=minutes)


#: The raw calls of each batch, per raw table.
BATCHES: list[dict[RawTable, list[dict[str, Any]]]] = [
    {
        PAGES: [
            # d_staff: anonymous browsing; its link comes in batch 2
            page("p_staff_1", "d_staff", None, at(DAY1, "10:00")),
            page("p_staff_2", "d_staff", None, at(DAY1, "10:05")),
            # d_seeded: anonymous page, then u_seeded logs in; u_guest uses the device between
            page("p_seeded_1", "d_seeded", None, at(DAY1, "11:00")),
            # d_new: anonymous browsing; its link comes in batch 2
            page("p_new_1", "d_new", None, at(DAY1, "12:00")),
            page("p_new_2", "d_new", None, at(DAY1, "12:10")),
            # d_shared: first linked to u_first
            page("p_shared_1", "d_shared", None, at(DAY1, "13:01")),
        ],
        TRACKS: [
            track("t_seeded_1", "d_seeded", "u_seeded", at(DAY1, "11:03")),
            track("t_guest_1", "d_seeded", "u_guest", at(DAY1, "11:20")),
            track("t_seeded_2", "d_seeded", "u_seeded", at(DAY1, "11:40")),
            track("t_first_1", "d_shared", "u_first", at(DAY1, "13:02")),
        ],
        IDENTIFIES: [
            identify("i_seeded", "d_seeded", "u_seeded", "seeded@example.com", at(DAY1, "11:02")),
            identify("i_guest", "d_seeded", "u_guest", "guest@example.com", at(DAY1, "11:19")),
            identify("i_first", "d_shared", "u_first", "first@example.com", at(DAY1, "13:00")),
        ],
    },
    {
        PAGES: [
            page("p_staff_3", "d_staff", "u_staff", at(DAY2, "09:02")),
            page("p_new_3", "d_new", "u_new", at(DAY2, "10:02")),
            page("p_shared_2", "d_shared", None, at(DAY2, "14:02")),
        ],
        TRACKS: [
            track("t_staff_1", "d_staff", "u_staff", at(DAY2, "09:01")),
            track("t_second_1", "d_shared", "u_second", at(DAY2, "14:01")),
        ],
        IDENTIFIES: [
            # an internal email domain (var internal_email_domains), in mixed case
            identify("i_staff", "d_staff", "u_staff", "Staff@GrowthCo.example", at(DAY2, "09:00")),
            identify("i_new", "d_new", "u_new", "new@example.com", at(DAY2, "10:00")),
            identify("i_second", "d_shared", "u_second", "second@example.com", at(DAY2, "14:00")),
        ],
    },
]
#: Added to the internal_users seed between the runs.
SEEDED_INTERNAL_USER = "u_seeded"

#: fct_events after both batches: event_id -> (user_key, anonymous_id, session_number,
#: is_session_start). Written by hand from the cases above (30-minute session timeout).
EXPECTED_EVENTS = {
    # d_staff: every event belongs to internal u_staff: none is left
    # d_seeded: only u_guest's track, alone in its device's timeline
    "t_guest_1": ("u_guest", "d_seeded", 1, True),
    # d_new: the anonymous history belongs to u_new; day 2 is a session of its own
    "p_new_1": ("u_new", "d_new", 1, True),
    "p_new_2": ("u_new", "d_new", 1, False),
    "p_new_3": ("u_new", "d_new", 2, True),
    # d_shared: anonymous calls go to the first link, u_first; u_second keeps their own call
    "p_shared_1": ("u_first", "d_shared", 1, True),
    "t_first_1": ("u_first", "d_shared", 1, False),
    "t_second_1": ("u_second", "d_shared", 2, True),
    "p_shared_2": ("u_first", "d_shared", 2, False),
}
#: fct_sessions: (anonymous_id, session_number) -> (user_key, event_count).
EXPECTED_SESSIONS = {
    ("d_seeded", 1): ("u_guest", 1),
    ("d_new", 1): ("u_new", 2),
    ("d_new", 2): ("u_new", 1),
    ("d_shared", 1): ("u_first", 2),
    ("d_shared", 2): ("u_second", 2),
}
#: dim_users: user_key -> is_internal. No device is left as an anonymous visitor.
EXPECTED_USERS = {
    "u_staff": True,
    "u_seeded": True,
    "u_guest": False,
    "u_new": False,
    "u_first": False,
    "u_second": False,
}
#: The models compared with a full refresh, each with its run-metadata column left out.
COMPARED = {
    "int_anonymous_ids_linked": "processed_at",
    "int_user_timelines": "processed_at",
    "fct_events": "processed_at",
    "fct_sessions": "processed_at",
    "dim_users": "processed_at",
}
#: The compared models and what they read (the marts outside core are left out: none of them
#: is compared here), with their data tests; the later runs append the seed to --exclude.
BUILD = (
    "build",
    "--exclude-resource-type",
    "unit_test",
    *data_selection(*(f"+{name}" for name in COMPARED)),
)


def _cumulative_batches(root: Path) -> list[Path]:
    """One directory per batch, holding every call that has arrived by then."""
    paths = []
    arrived: dict[RawTable, list[dict[str, Any]]] = {}
    for number, batch in enumerate(BATCHES):
        for table, rows in batch.items():
            arrived[table] = arrived.get(table, []) + rows
        paths.append(write_raw_batch(arrived, root / f"batch_{number}"))
    return paths


def _snapshot(engine: Engine, relation: str, exclude: str) -> list[tuple[Any, ...]]:
    columns, rows = engine.warehouse.query_with_columns(f"select * from {relation}")
    keep = [i for i, name in enumerate(columns) if name != exclude]
    return sorted(
        (tuple(row[i] for i in keep) for row in rows),
        key=lambda row: tuple((value is None, str(value)) for value in row),
    )


def _check_expected(engine: Engine, run: DbtRun, when: str) -> None:
    events = engine.warehouse.query(
        "select event_id, user_key, anonymous_id, session_number, is_session_start "
        f"from {run.relation('fct_events')}"
    )
    assert {row[0]: tuple(row[1:]) for row in events} == EXPECTED_EVENTS, when
    sessions = engine.warehouse.query(
        "select anonymous_id, session_number, user_key, event_count "
        f"from {run.relation('fct_sessions')}"
    )
    assert {(row[0], row[1]): (row[2], row[3]) for row in sessions} == EXPECTED_SESSIONS, when
    users = engine.warehouse.query(f"select user_key, is_internal from {run.relation('dim_users')}")
    assert dict(users) == EXPECTED_USERS, when


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _cumulative_batches(tmp_path_factory.mktemp("identity"))


def test_late_identity_incremental_equals_full_refresh(engine: Engine, batches: list[Path]) -> None:
    scenario = own_database(engine, "identity_scenario")
    seed_relation = None
    run = None
    for number, path in enumerate(batches):
        load_generated(scenario, path)
        if number == 0:
            run = scenario.dbt(*BUILD, vars=SOURCE_VARS)
            seed_relation = run.relation("internal_users", resource_type="seed")
            continue
        # u_seeded becomes internal by the seed between the runs; the seed is not rebuilt
        # from its CSV, so the later runs leave it out.
        scenario.warehouse.execute(
            f"insert into {seed_relation} (user_id, reason) "
            f"values ('{SEEDED_INTERNAL_USER}', 'added between runs')"
        )
        run = scenario.dbt(*BUILD, "internal_users", vars=SOURCE_VARS)
    assert run is not None
    _check_expected(scenario, run, "after the incremental runs")
    incremental = {
        name: _snapshot(scenario, run.relation(name), exclude) for name, exclude in COMPARED.items()
    }

    refreshed = scenario.dbt(*BUILD, "internal_users", "--full-refresh", vars=SOURCE_VARS)
    _check_expected(scenario, refreshed, "after a full refresh")
    for name, exclude in COMPARED.items():
        assert incremental[name] == _snapshot(scenario, run.relation(name), exclude), name
