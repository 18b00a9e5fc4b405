"""Deleting a person (a GDPR erasure): nothing of them is left in any model.

Hand-written raw calls of two people, loaded into a database of their own:

- A (``u_erased``) browses anonymously on a laptop (``d_erased_laptop``) before signing up
  there, with an identify, tracks (one with a per-event table row), a group call and an
  experiment exposure, and two orders. Later, on a phone (``d_erased_phone``), an anonymous
  page, then a page carrying both ids: the only link of the phone. One server-side track
  carries the user_id alone (a ``user:`` timeline).
- B (``u_kept``) does the same on a device of their own, with an order, and once used A's
  laptop, earliest of all: a device linked to A is erased whole (B's call on it included), so
  B's first_seen_at must move to B's own device.

The project is built, then A asks to be erased (a row in the deletion_requests seed) and the
next incremental run must leave nothing of A in any relation outside the raw schemas, the
request seed and the erasure list (stg_privacy__erased_identities, which has to remember the
ids to keep them out): every text column of every relation of every other schema is scanned
for each id of A (user id, device ids, message and order ids, email, property values). Every
relation equals, row for row, a build of B's data alone (run-stamp columns left out), so B is
unchanged and no key derived from A's ids (session ids, surrogate keys) is left. The row
accounting balances throughout, counting A's raw rows as erased while the raw tables still
hold them.

Both orders of events are tested: A's rows deleted upstream before the request (the request
then finds A's devices in what the base models stored), and the request made while A's raw
rows are still there (deleted upstream afterwards; a new device of A's arriving after the
request is erased too). Both start from the same first build of A's and B's data, made once and
copied (``first_build``).
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA_BUILD, load_generated, own_database, write_raw_batch

from growthkit.dbt_runner import DbtRun, Engine
from growthkit.gen_contract import (
    COMMENT_POSTED,
    EXPERIMENT_VIEWED,
    GROUPS,
    IDENTIFIES,
    ORDERS,
    PAGES,
    RAW_TABLES,
    SCHEMAS,
    TRACKS,
    RawTable,
)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"
DAY = datetime(2024, 6, 3)
SOURCE_VARS = {"segment_schema": "segment", "shop_schema": "shop", "marketing_schema": "marketing"}
BUILD = DATA_BUILD
#: The scenarios' later runs: the models alone (no data tests), the request seed left out (the
#: test writes its rows into the table). Each run's relations must equal the reference's, a
#: build whose data tests passed: the tests would pass on them too.
REBUILD = ("run", "--exclude", "tag:fixtures", "deletion_requests")

ERASED_USER = "u_erased"
LAPTOP = "d_erased_laptop"
PHONE = "d_erased_phone"
#: A device of A's whose first call reaches the warehouse after the request.
LATE_DEVICE = "d_erased_late"


def _times(at: datetime) -> dict[str, Any]:
    return {
        "timestamp": at,
        "original_timestamp": at,
        "sent_at": at,
        "received_at": at + timedelta(seconds=1),
    }


def at(clock: str, day: datetime = DAY) -> datetime:
    hours, minutes = (int(part) for part in clock.split(":"))
    return day + timedelta(hours=hours, minutes=minutes)


def page(call_id: str, anonymous_id: str | None, user_id: str | None, when: datetime) -> dict:
    return {
        "id": call_id,
        "anonymous_id": anonymous_id,
        "user_id": user_id,
        "url": f"https://shop.example/{call_id}?utm_source=newsletter",
        "path": f"/{call_id}",
        "context_user_agent": BROWSER,
        "context_library_name": "analytics.js",
        **_times(when),
    }


def track(
    call_id: str, anonymous_id: str | None, user_id: str | None, event: str, when: datetime
) -> dict:
    return {
        "id": call_id,
        "anonymous_id": anonymous_id,
        "user_id": user_id,
        "event": event,
        "event_text": event,
        "context_user_agent": BROWSER,
        "context_library_name": "analytics.js",
        **_times(when),
    }


def identify(call_id: str, anonymous_id: str, user_id: str, email: str, when: datetime) -> dict:
    return {
        "id": call_id,
        "anonymous_id": anonymous_id,
        "user_id": user_id,
        "email": email,
        "name": f"name of {user_id}",
        "context_user_agent": BROWSER,
        **_times(when),
    }


def group(call_id: str, anonymous_id: str, user_id: str, group_id: str, when: datetime) -> dict:
    return {
        "id": call_id,
        "anonymous_id": anonymous_id,
        "user_id": user_id,
        "group_id": group_id,
        "name": f"account {group_id}",
        "plan": "team",
        **_times(when),
    }


def exposure(call_id: str, anonymous_id: str, user_id: str, when: datetime) -> dict:
    return {
        "id": call_id,
        "anonymous_id": anonymous_id,
        "user_id": user_id,
        "experiment_id": "exp_pricing",
        "variation_id": "control",
        "timestamp": when,
        "received_at": when + timedelta(seconds=1),
    }


def order(order_id: str, user_id: str, when: datetime) -> dict:
    return {
        "order_id": order_id,
        "user_id": user_id,
        "created_at": when,
        "status": "completed",
        "revenue": Decimal("49.50"),
        "region": "north",
    }


def person(user: str, device: str, prefix: str) -> dict[RawTable, list[dict[str, Any]]]:
    """One person's calls on their first device: anonymous browsing, signup, activity, an order."""
    return {
        PAGES: [
            page(f"p_{prefix}_1", device, None, at("10:00")),
            page(f"p_{prefix}_2", device, None, at("10:05")),
            page(f"p_{prefix}_3", device, user, at("10:20")),
        ],
        IDENTIFIES: [
            identify(f"i_{prefix}", device, user, f"{prefix}@example.com", at("10:10")),
        ],
        TRACKS: [
            track(f"t_{prefix}_signup", device, user, "signed_up", at("10:11")),
            track(f"t_{prefix}_comment", device, user, "Comment Posted", at("10:15")),
        ],
        COMMENT_POSTED: [
            {
                **track(f"t_{prefix}_comment", device, user, "Comment Posted", at("10:15")),
                "post_id": f"post_{prefix}",
                "feature_area": "reports",
            }
        ],
        GROUPS: [group(f"g_{prefix}", device, user, f"acct_{prefix}", at("10:12"))],
        EXPERIMENT_VIEWED: [exposure(f"x_{prefix}", device, user, at("10:06"))],
        ORDERS: [order(f"o_{prefix}_1", user, at("10:30"))],
    }


def _merge(*parts: dict[RawTable, list[dict[str, Any]]]) -> dict[RawTable, list[dict[str, Any]]]:
    merged: dict[RawTable, list[dict[str, Any]]] = {}
    for part in parts:
        for table, rows in part.items():
            merged[table] = merged.get(table, []) + rows
    return merged


KEPT = person("u_kept", "d_kept", "kept")
ERASED = _merge(
    person(ERASED_USER, LAPTOP, "erased"),
    {
        # the phone: an anonymous page, then the one page that links it to A
        PAGES: [
            page("p_erased_phone_1", PHONE, None, at("18:00")),
            page("p_erased_phone_2", PHONE, ERASED_USER, at("18:05")),
        ],
        # a server-side call: the user_id alone
        TRACKS: [track("t_erased_server", None, ERASED_USER, "report_created", at("19:00"))],
        ORDERS: [order("o_erased_2", ERASED_USER, at("19:30"))],
    },
    {
        # B once used A's laptop, before anything else: the laptop is erased whole, so this
        # call goes too, and B's first_seen_at must move to B's own device
        PAGES: [page("p_kept_on_laptop", LAPTOP, "u_kept", at("09:00"))],
    },
)
#: A's calls that arrive after the request: a new device, linked by an identify.
ERASED_LATE = {
    PAGES: [page("p_erased_late_1", LATE_DEVICE, None, at("09:00", DAY + timedelta(days=1)))],
    IDENTIFIES: [
        identify(
            "i_erased_late",
            LATE_DEVICE,
            ERASED_USER,
            "erased@example.com",
            at("09:01", DAY + timedelta(days=1)),
        )
    ],
}
#: Every value of A's that no relation may hold: ids, message and order ids, email, name and
#: property values.
ERASED_VALUES = sorted(
    {ERASED_USER, LAPTOP, PHONE, LATE_DEVICE, "erased@example.com", f"name of {ERASED_USER}",
     "post_erased", "acct_erased"}
    | {
        str(row.get("id") or row.get("order_id"))
        for rows in _merge(ERASED, ERASED_LATE).values()
        for row in rows
    }
)  # fmt: skip
#: A's raw rows per staged source table, as the row accounting counts them (erased_rows).
ERASED_RAW_ROWS = {
    "segment.tracks": 3,
    "segment.pages": 6,
    "segment.identifies": 1,
    "segment.groups": 1,
    "segment.experiment_viewed": 1,
    "shop.orders": 2,
    "marketing.ad_spend": 0,
}
#: Columns a run stamps with its own time: left out of the comparisons.
RUN_STAMPS = {"staged_at", "processed_at", "flagged_at", "erased_at", "noticed_at"}
#: Relations that hold A's ids by design: the request, and the list of identities kept out.
ERASURE_RECORDS = {"deletion_requests", "stg_privacy__erased_identities"}
#: Relations whose rows depend on the runs, not only on the data (scanned all the same): the
#: run records of what changed (users vanished in an earlier run, an account held before).
NOT_COMPARED = {
    "stg_audit__row_accounting",
    "fct_raw_schema_changes",
    "int_users_changed",
    "int_funnel_entities_changed",
}
#: The database every build of this module writes to, in turn: the reference, the first build,
#: then each scenario on a copy of that first build. One name (one DuckDB path) for all, so
#: that dbt's saved parse fits each run (dbt parses afresh for another database), and so that a
#: copy is, to dbt and to the relation names it gave, the database it was copied from.
DATABASE = "erasure"
#: The saved copy of the first build (a DuckDB file beside DATABASE's, a PostgreSQL database).
FIRST_BUILD_COPY = "erasure_first_build"


def _load(engine: Engine, calls: dict[RawTable, list[dict[str, Any]]], out: Path) -> None:
    """Replace the raw tables with ``calls`` (every contract column; those not given are null)."""
    load_generated(engine, write_raw_batch(calls, out))


def _delete_upstream(engine: Engine) -> None:
    """What the source does on an erasure: every raw row of A's, by user id and device."""
    devices = ", ".join(f"'{device}'" for device in (LAPTOP, PHONE, LATE_DEVICE))
    for table in RAW_TABLES:
        columns = set(table.column_names)
        if "anonymous_id" in columns:
            where = f"user_id = '{ERASED_USER}' or anonymous_id in ({devices})"
        elif "user_id" in columns:
            where = f"user_id = '{ERASED_USER}'"
        else:
            continue
        engine.warehouse.execute(f"delete from {table.schema}.{table.name} where {where}")


def _request_erasure(engine: Engine, run: DbtRun) -> None:
    seed = run.relation("deletion_requests", resource_type="seed")
    engine.warehouse.execute(
        f"insert into {seed} (user_id, anonymous_id, requested_at) "
        f"values (' {ERASED_USER} ', null, cast('2024-06-10 12:00:00' as timestamp))"
    )


def _relations(engine: Engine) -> dict[str, str]:
    """Every table and view outside the raw and system schemas: name -> qualified relation."""
    excluded = {*SCHEMAS, "information_schema", "pg_catalog", "pg_toast"}
    rows = engine.warehouse.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database()"
    )
    relations: dict[str, str] = {}
    for schema, name in rows:
        if schema in excluded or schema.startswith("pg_"):
            continue
        assert name not in relations, f"{name} is in two schemas"
        relations[name] = f'"{schema}"."{name}"'
    return relations


def _text_columns(engine: Engine) -> dict[str, list[str]]:
    """The text columns of every relation of ``_relations``, by qualified relation."""
    rows = engine.warehouse.query(
        "select table_schema, table_name, column_name, data_type "
        "from information_schema.columns where table_catalog = current_database()"
    )
    columns: dict[str, list[str]] = {}
    for schema, name, column, data_type in rows:
        if any(kind in data_type.lower() for kind in ("char", "text", "string")):
            columns.setdefault(f'"{schema}"."{name}"', []).append(column)
    return columns


def _find_erased(engine: Engine) -> list[str]:
    """Every (relation, column, value) holding one of A's values, outside the erasure records.
    One query per text column, all on one connection."""
    text_columns = _text_columns(engine)
    places, queries = [], []
    for name, relation in sorted(_relations(engine).items()):
        if name in ERASURE_RECORDS:
            continue
        for column in text_columns.get(relation, []):
            matches = " or ".join(
                f"position('{value}' in \"{column}\") > 0" for value in ERASED_VALUES
            )
            places.append(f"{name}.{column}")
            queries.append(f'select distinct "{column}" from {relation} where {matches}')
    found = []
    for place, (_, rows) in zip(places, engine.warehouse.query_many(queries), strict=True):
        found += [f"{place}: {value}" for (value,) in rows]
    return found


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every relation but the erasure records, the row accounting (its raw counts differ while
    A's raw rows are there) and the raw schema changes (keyed by the run that noticed them),
    without run stamps, as sorted rows (read on one connection)."""
    names = [
        (name, relation)
        for name, relation in _relations(engine).items()
        if name not in ERASURE_RECORDS and name not in NOT_COMPARED
    ]
    results = engine.warehouse.query_many([f"select * from {relation}" for _, relation in names])
    snapshot = {}
    for (name, _), (columns, rows) in zip(names, results, strict=True):
        keep = [i for i, column in enumerate(columns) if column not in RUN_STAMPS]
        snapshot[name] = sorted(
            (tuple(row[i] for i in keep) for row in rows),
            key=lambda row: tuple((value is None, str(value)) for value in row),
        )
    return snapshot


def _check_accounting(engine: Engine, run: DbtRun, erased_rows: dict[str, int], when: str) -> None:
    rows = engine.warehouse.query(
        "select source_table, erased_rows, unaccounted_rows "
        f"from {run.relation('stg_audit__row_accounting')}"
    )
    assert {table: erased for table, erased, _ in rows} == erased_rows, when
    assert all(unaccounted == 0 for _, _, unaccounted in rows), (when, rows)


def _check_nothing_left(
    engine: Engine, reference: dict[str, list[tuple[Any, ...]]], when: str
) -> None:
    assert _find_erased(engine) == [], when
    snapshot = _snapshot(engine)
    assert sorted(snapshot) == sorted(reference), when
    for name, rows in reference.items():
        assert snapshot[name] == rows, f"{name} {when}"


def _fresh_database(engine: Engine) -> Engine:
    """``engine`` pointed at DATABASE, new and empty."""
    database = own_database(engine, DATABASE)
    if engine.name == "duckdb":
        Path(f"{database.env['GROWTH_DUCKDB_PATH']}.wal").unlink(missing_ok=True)
    return database


def _save_copy(engine: Engine, database: Engine) -> None:
    """Keep a copy of ``database`` (DATABASE on ``engine``) as FIRST_BUILD_COPY."""
    if engine.name == "duckdb":
        path = Path(database.env["GROWTH_DUCKDB_PATH"])
        copy = path.with_name(f"{FIRST_BUILD_COPY}.duckdb")
        for suffix in ("", ".wal"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
            if Path(f"{path}{suffix}").exists():
                shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
    else:
        engine.warehouse.execute(f"drop database if exists {FIRST_BUILD_COPY}")
        engine.warehouse.execute(f"create database {FIRST_BUILD_COPY} template {DATABASE}")


def _from_copy(engine: Engine) -> Engine:
    """``engine`` pointed at DATABASE, replaced by the copy of the first build."""
    database = own_database(engine, DATABASE)
    if engine.name == "duckdb":
        path = Path(database.env["GROWTH_DUCKDB_PATH"])
        copy = path.with_name(f"{FIRST_BUILD_COPY}.duckdb")
        for suffix in ("", ".wal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
            if Path(f"{copy}{suffix}").exists():
                shutil.copyfile(f"{copy}{suffix}", f"{path}{suffix}")
    else:
        engine.warehouse.execute(f"drop database {DATABASE}")
        engine.warehouse.execute(f"create database {DATABASE} template {FIRST_BUILD_COPY}")
    return database


@pytest.fixture(scope="module")
def reference(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every relation built from B's data alone: what is left after A's erasure."""
    kept_only = _fresh_database(engine)
    _load(kept_only, KEPT, tmp_path_factory.mktemp("kept_only"))
    kept_only.dbt(*BUILD, vars=SOURCE_VARS)
    snapshot = _snapshot(kept_only)
    # the reference itself is what the scenario says: B's rows are all there, none of A's
    assert [row[0] for row in snapshot["fct_orders"]] == ["o_kept_1"]
    assert any("d_kept" in map(str, row) for row in snapshot["fct_sessions"])
    assert _find_erased(kept_only) == []
    return snapshot


@pytest.fixture(scope="module")
def first_build(
    engine: Engine, reference: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> DbtRun:
    """A's and B's calls built (the first step of both scenarios), kept as a copy that each
    scenario starts from (``_from_copy``). After ``reference``, which uses the same database."""
    database = _fresh_database(engine)
    _load(database, _merge(KEPT, ERASED), tmp_path_factory.mktemp("kept_and_erased"))
    run = database.dbt(*BUILD, vars=SOURCE_VARS)
    _save_copy(engine, database)
    return run


def test_erasure_after_upstream_deletion(
    engine: Engine, reference: dict[str, Any], first_build: DbtRun
) -> None:
    scenario, run = _from_copy(engine), first_build
    assert _find_erased(scenario), "the scenario must put A's rows in the models first"

    # A's rows are deleted at the source first, then the request is added
    _delete_upstream(scenario)
    _request_erasure(scenario, run)
    run = scenario.dbt(*REBUILD, vars=SOURCE_VARS)
    _check_nothing_left(scenario, reference, "after the incremental run")
    _check_accounting(scenario, run, dict.fromkeys(ERASED_RAW_ROWS, 0), "incremental run")

    run = scenario.dbt(*REBUILD, "--full-refresh", vars=SOURCE_VARS)
    _check_nothing_left(scenario, reference, "after a full refresh")
    _check_accounting(scenario, run, dict.fromkeys(ERASED_RAW_ROWS, 0), "full refresh")


def test_erasure_requested_before_upstream_deletion(
    engine: Engine, reference: dict[str, Any], first_build: DbtRun, tmp_path: Path
) -> None:
    scenario, run = _from_copy(engine), first_build

    # the request comes while A's raw rows are still there: counted as erased
    _request_erasure(scenario, run)
    run = scenario.dbt(*REBUILD, vars=SOURCE_VARS)
    _check_nothing_left(scenario, reference, "after the request")
    _check_accounting(scenario, run, ERASED_RAW_ROWS, "request, raw rows present")
    erased = dict(
        scenario.warehouse.query(
            f"select identity, erasure_reason from {run.relation('stg_privacy__erased_identities')}"
        )
    )
    assert erased == {
        ERASED_USER: "requested",
        LAPTOP: "linked to a requested user_id",
        PHONE: "linked to a requested user_id",
    }

    # A's app sends more: a new device, linked by an identify, is erased as it arrives
    _load(scenario, _merge(KEPT, ERASED, ERASED_LATE), tmp_path / "raw_late")
    run = scenario.dbt(*REBUILD, vars=SOURCE_VARS)
    late_rows = {**ERASED_RAW_ROWS, "segment.pages": 7, "segment.identifies": 2}
    _check_nothing_left(scenario, reference, "after A's later calls")
    _check_accounting(scenario, run, late_rows, "A's later calls")

    # then the source deletes A's rows: the phone's link is gone from raw, the phone stays erased
    _delete_upstream(scenario)
    run = scenario.dbt(*REBUILD, vars=SOURCE_VARS)
    _check_nothing_left(scenario, reference, "after the upstream deletion")
    _check_accounting(scenario, run, dict.fromkeys(ERASED_RAW_ROWS, 0), "upstream deletion")
