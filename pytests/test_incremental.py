"""An incremental build equals a full refresh, on each engine.

Generated data (with duplicates, late-arriving rows and identity links that come after the
events they claim) is loaded in time-ordered batches by received_at. A few rows of each batch
reach the warehouse only with the next batch (as a loader that runs late would deliver them),
so the lookback window is exercised. After each batch every incremental model (and what it
reads) is built incrementally (on Spark after the first and the last batch only:
SPARK_BATCHES); after the last, each is compared row for row with a --full-refresh build of
the same data, and one more run, with no new rows, must write nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import data_selection, load_generated

from growthkit.dbt_runner import DbtRun, Engine
from growthkit.gen_contract import RAW_TABLES
from growthkit.gen_vocab import INTERNAL_DOMAIN
from growthkit.generate import GenConfig, HazardRates, generate, parquet_path

START = date(2024, 6, 3)
DAYS = 12
CONFIG = GenConfig(
    visitors=2_500,
    days=DAYS,
    seed=99,
    start_date=START,
    # Internal users at ten times the default rate, so that devices whose first link (in a
    # later batch) names an internal user occur in every run (see the guard test below).
    hazards=HazardRates(duplicate=0.03, late_arriving=0.05, future_clock=0.01, internal_user=0.2),
)
#: Batch boundaries on received_at: the last batch takes everything after the last boundary.
CUTS = [datetime(2024, 6, 7), datetime(2024, 6, 10), datetime(2024, 6, 12), datetime(2024, 6, 14)]
#: Share of each batch's rows (by id hash) held back to the next batch: a late warehouse load.
HELD_BACK_PERCENT = 2
#: Shorter than the default (72 h), so that some re-delivered copies arrive after their earlier
#: copy fell out of the lookback: the run then numbers them after the stored copy without
#: re-reading it. Longer than the day a late load holds rows back.
LOOKBACK_HOURS = 30
VARS = {
    "segment_schema": "segment",
    "shop_schema": "shop",
    "marketing_schema": "marketing",
    "incremental_lookback_hours": LOOKBACK_HOURS,
    # A fixed last date, so that fct_user_segments_daily recomputes only the users changed
    # (dim_user_segments' as-of date moves with the data: it recomputes every user).
    "segments_daily_end_date": "2024-06-11",
}
#: The marts outside core that recompute the users int_users_changed lists.
INCREMENTAL_MARTS = [
    "fct_order_conversion",
    "fct_user_returns",
    "fct_user_lifecycle",
    "dim_user_segments",
    "fct_user_segments_daily",
    # the funnels: step events by changed user, best paths by changed entity
    "int_funnel_entity_events",
    "fct_funnel_steps",
    # attribution: conversions and their touches by changed user (and changed order), the
    # Markov chain's per-user journey counts by changed user
    "int_attribution_conversions",
    "fct_attribution_touches",
    "int_attribution_journey_transitions",
    # retention: each user's cohort periods and engagement weeks by changed user (the
    # cohort and weekly aggregates are group bys over them)
    "int_user_retention_periods",
    "int_user_engagement_periods",
    # the tracking plan's violations by changed timeline
    "fct_tracking_plan_violations",
]
#: The models compared, each with the column to leave out (staged_at and processed_at are run
#: metadata): the core marts, the Segment base models, whose copies an incremental run numbers,
#: and the incremental marts downstream, which recompute the users int_users_changed lists.
COMPARED = {
    "base_segment__tracks": "staged_at",
    "base_segment__pages": "staged_at",
    "base_segment__identifies": "staged_at",
    "base_segment__groups": "staged_at",
    "base_segment__experiment_viewed": "staged_at",
    "fct_events": "processed_at",
    "fct_event_properties": "processed_at",
    "fct_sessions": "processed_at",
    "fct_orders": None,
    "dim_users": "processed_at",
    "dim_accounts": None,
    **{name: "processed_at" for name in INCREMENTAL_MARTS},
}
#: The models these tests build: the core marts, the incremental marts and what they read
#: (the tables rebuilt whole from them, rollups and the like, are left out: rebuilt whole, they
#: equal a full refresh whenever their inputs do). Tests of the selected models that also read
#: a model left out are left out too (cautious).
SELECTION = data_selection(
    "+path:models/marts/core",
    "base_segment__experiment_viewed",
    *(f"+{name}" for name in INCREMENTAL_MARTS),
)
#: The first batch's build: the seeds and models of SELECTION.
FIRST_BUILD = ("build", "--resource-type", "seed", "--resource-type", "model", *SELECTION)
#: ``dbt run`` of SELECTION: the models alone, for the batches between the first and the last,
#: and for the full refresh (the row-for-row comparison with the full refresh is the test of
#: what the incremental runs wrote).
RUN = ("run", *SELECTION)
#: The last batch's build: the models and their data tests (unit tests already ran in the
#: shared build), on what the incremental runs leave.
BUILD = ("build", "--exclude-resource-type", "unit_test", *SELECTION)
#: int_users_changed is compared on its users only: which run last changed a user, and the
#: account it held before, are run history that a full refresh does not have.
USERS_CHANGED_COLUMNS = "user_key, is_vanished, account_id"
TIME_COLUMNS = {"segment": "received_at", "shop": "created_at", "marketing": "date"}


def _batch_filter(table_schema: str, batch: int) -> str:
    """SQL condition for the rows a warehouse holds after batch number ``batch`` (0-based)."""
    column = TIME_COLUMNS[table_schema]
    if batch == len(CUTS):
        return "true"
    cut = CUTS[batch].isoformat(sep=" ")
    arrived = f'"{column}" < timestamp \'{cut}\' or "{column}" is null'
    if table_schema != "segment":
        return arrived
    # Rows received in the day before this cut reach the warehouse only with the next batch.
    held_back = (
        f"\"{column}\" >= timestamp '{cut}' - interval 1 day "
        f"and abs(hash(coalesce(id, '') || cast(\"{column}\" as varchar))) % 100 "
        f"< {HELD_BACK_PERCENT}"
    )
    return f"({arrived}) and not ({held_back})"


def _write_batches(source: Path, manifest: dict[str, Any], root: Path) -> list[Path]:
    """One directory of Parquet files per batch, holding every row that has arrived by then."""
    batches = []
    con = duckdb.connect()
    for batch in range(len(CUTS) + 1):
        out = root / f"batch_{batch}"
        batch_manifest = json.loads(json.dumps(manifest))
        for table in RAW_TABLES:
            target = parquet_path(out, table)
            target.parent.mkdir(parents=True, exist_ok=True)
            query = (
                f"select * from read_parquet('{parquet_path(source, table)}') "
                f"where {_batch_filter(table.schema, batch)}"
            )
            con.execute(f"copy ({query}) to '{target}' (format parquet)")
            rows = con.execute(f"select count(*) from read_parquet('{target}')").fetchone()
            assert rows is not None
            batch_manifest["tables"][table.key]["rows"] = rows[0]
        (out / "manifest.json").write_text(json.dumps(batch_manifest))
        batches.append(out)
    return batches


def _normalise(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, Decimal):
        return Decimal(value).quantize(Decimal("0.000001"))
    return value


def _snapshots(engine: Engine, relations: dict[str, str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every model of COMPARED (``relations``: name -> relation) as sorted rows, without the
    column COMPARED leaves out (read on one connection)."""
    results = engine.warehouse.query_many([f"select * from {relations[name]}" for name in COMPARED])
    snapshots = {}
    for (name, exclude), (columns, rows) in zip(COMPARED.items(), results, strict=True):
        keep = [i for i, column in enumerate(columns) if column != exclude]
        snapshots[name] = sorted(
            (tuple(_normalise(row[i]) for i in keep) for row in rows),
            key=lambda row: tuple((value is None, str(value)) for value in row),
        )
    return snapshots


#: Linking calls (both ids) and the batch each first arrived in, from the batch files alone.
_LINKS_BY_BATCH = """
with calls as (
    {calls}
),

arrivals as (
    select table_name, id, anonymous_id, user_id, "timestamp", min(batch) as batch
    from calls
    where id is not null and anonymous_id is not null
    group by all
),

internal_users as (
    select distinct user_id from ({identifies})
    where lower(trim(email)) like '%@{internal_domain}'
),

devices as (
    select anonymous_id, min(batch) as first_batch
    from arrivals
    group by anonymous_id
),

links as (
    select
        anonymous_id,
        user_id,
        min(batch) as link_batch,
        min("timestamp") as first_linked
    from arrivals
    where user_id is not null
    group by anonymous_id, user_id
),

device_links as (
    select
        links.*,
        devices.first_batch,
        min(link_batch) over (partition by links.anonymous_id) as device_link_batch,
        row_number() over (
            partition by links.anonymous_id order by first_linked, user_id
        ) as link_rank,
        links.user_id in (select user_id from internal_users) as is_internal
    from links
    inner join devices on links.anonymous_id = devices.anonymous_id
)

select
    count(distinct case
        when link_rank = 1 and device_link_batch > first_batch and is_internal
            then anonymous_id
    end) as late_first_links_internal,
    count(distinct case
        when link_rank = 1 and device_link_batch > first_batch and not is_internal
            then anonymous_id
    end) as late_first_links_ordinary,
    count(distinct case
        when link_rank > 1 and link_batch > device_link_batch then anonymous_id
    end) as late_identities_on_shared_devices
from device_links
"""


def planted_identity_cases(batches: list[Path]) -> dict[str, int]:
    """Devices whose identity changes in a later batch than the one that brought their first
    events, by kind, counted from the batch files (not by the project):

    - late_first_links_internal / _ordinary: the device's calls arrive in one batch and its
      first link to a user only in a later one, naming an internal user (an identify email at
      the internal domain) or an ordinary one;
    - late_identities_on_shared_devices: a second user's first call on an already linked
      device arrives in a later batch than the device's first link.
    """
    segment = [t for t in RAW_TABLES if t.name in ("tracks", "pages", "identifies", "groups")]
    calls = "\nunion all\n".join(
        f"select '{table.name}' as table_name, id, anonymous_id, user_id, \"timestamp\", "
        f"{number} as batch from read_parquet('{parquet_path(path, table)}')"
        for number, path in enumerate(batches)
        for table in segment
    )
    identifies = next(t for t in segment if t.name == "identifies")
    query = _LINKS_BY_BATCH.format(
        calls=calls,
        identifies=f"select * from read_parquet('{parquet_path(batches[-1], identifies)}')",
        internal_domain=INTERNAL_DOMAIN,
    )
    con = duckdb.connect()
    cursor = con.execute(query)
    names = [d[0] for d in cursor.description or []]
    row = cursor.fetchone()
    assert row is not None
    return dict(zip(names, (int(value) for value in row), strict=True))


@pytest.fixture(scope="session")
def batches(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("incremental")
    manifest = generate(CONFIG, root / "all", progress=False, log=lambda _: None)
    return _write_batches(root / "all", manifest, root)


def test_batches_exercise_late_rows_and_cross_batch_duplicates(batches: list[Path]) -> None:
    """Guard: the batches hold what the comparison is meant to cover."""
    con = duckdb.connect()
    first = parquet_path(batches[0], RAW_TABLES[0])
    last = parquet_path(batches[-1], RAW_TABLES[0])
    assert RAW_TABLES[0].key == "segment.tracks"
    # ids delivered in an early batch and again in a later one
    cross = con.execute(
        f"select count(*) from (select distinct id from read_parquet('{first}')) as a "
        f"where a.id in (select id from read_parquet('{last}') "
        f"group by id having count(*) > 1)"
    ).fetchone()
    assert cross is not None and cross[0] > 0
    # rows whose received_at is before an earlier cut, but which arrive in a later batch
    held = con.execute(
        f"select count(*) from read_parquet('{last}') "
        f"where received_at < timestamp '{CUTS[0].isoformat(sep=' ')}' "
        f"and id not in (select id from read_parquet('{first}') where id is not null)"
    ).fetchone()
    assert held is not None and held[0] > 0
    # events that happened before the first cut but were received after it
    late = con.execute(
        f"select count(*) from read_parquet('{last}') "
        f"where timestamp < timestamp '{CUTS[0].isoformat(sep=' ')}' "
        f"and received_at >= timestamp '{CUTS[0].isoformat(sep=' ')}'"
    ).fetchone()
    assert late is not None and late[0] > 0
    # copies received after the first cut, of a message the first batch stored a copy of that
    # the next run's lookback no longer re-reads
    redelivered = con.execute(
        f"select count(*) from read_parquet('{last}') as later "
        f"inner join read_parquet('{first}') as stored on later.id = stored.id "
        f"where later.received_at >= timestamp '{CUTS[0].isoformat(sep=' ')}' "
        f"and stored.received_at < timestamp '{CUTS[0].isoformat(sep=' ')}' "
        f"- interval {LOOKBACK_HOURS} hour"
    ).fetchone()
    assert redelivered is not None and redelivered[0] > 0


def test_batches_plant_identities_that_arrive_late(batches: list[Path]) -> None:
    """Guard: the batches hold devices whose identity changes in a later batch, of each kind
    that an incremental run must handle as a full refresh does (first link to an internal
    user, to an ordinary user, a second user on a shared device)."""
    cases = planted_identity_cases(batches)
    assert all(count > 0 for count in cases.values()), cases


def _drop_unsent_property(engine: Engine, path: Path) -> bool:
    """Drop the generator's mid-period property column from its loaded per-event table when
    no row of this batch has a value: Segment adds the column only when a source first sends
    the property. True when dropped."""
    new_property = json.loads((path / "manifest.json").read_text())["tracking_faults"][
        "new_property"
    ]
    table, column = new_property["table"], new_property["property"]
    sent = engine.warehouse.scalar(f"select count({column}) from {table}")
    if sent:
        return False
    engine.warehouse.drop_column(table, column)
    return True


#: The batches Spark loads (indexes into ``batches``; the other engines load every one): where
#: an incremental run takes minutes, the first and the last (one incremental run, on rows that
#: arrived late, copies delivered again, identities linked late and a property column that
#: appeared: what the batches in between also bring).
SPARK_BATCHES = (0, -1)


@dataclass
class IncrementalThenFull:
    """The incremental runs over the batches, then a full refresh of the same data: what
    each left (see ``incremental_then_full``)."""

    engine: Engine
    run: DbtRun
    #: per batch loaded: whether the new property column was dropped as unsent
    dropped: list[bool]
    #: every user_key dim_users held after some batch
    users_ever: set[str]
    #: dim_users' users after the last incremental run
    users_now: set[str]
    #: int_users_changed (USERS_CHANGED_COLUMNS) after the last incremental run, and after the
    #: full refresh
    changed_rows: list[tuple[Any, ...]]
    refreshed_changed_rows: list[tuple[Any, ...]]
    #: every model of COMPARED after the last incremental run, and after the full refresh
    after_increments: dict[str, list[tuple[Any, ...]]]
    full_refreshed: dict[str, list[tuple[Any, ...]]]


@pytest.fixture(scope="module")
def incremental_then_full(engine: Engine, batches: list[Path]) -> IncrementalThenFull:
    """Each batch loaded and built incrementally (FIRST_BUILD, RUN, ..., BUILD), then a
    ``--full-refresh`` run of the same data, in a schema of its own."""
    incremental = replace(
        engine,
        env={**engine.env, "GROWTH_SCHEMA": "incremental"},
        work_dir=engine.work_dir / "incremental",
    )
    paths = [batches[i] for i in SPARK_BATCHES] if engine.name == "spark" else batches
    run = None
    dropped = []
    users_ever: set[str] = set()
    for number, path in enumerate(paths):
        load_generated(incremental, path)
        dropped.append(_drop_unsent_property(incremental, path))
        command = FIRST_BUILD if number == 0 else BUILD if number == len(paths) - 1 else RUN
        run = incremental.dbt(*command, vars=VARS)
        users_ever.update(
            row[0]
            for row in incremental.warehouse.query(
                f"select user_key from {run.relation('dim_users')}"
            )
        )
    assert run is not None
    relations = {name: run.relation(name) for name in COMPARED}
    users_changed = f"select {USERS_CHANGED_COLUMNS} from {run.relation('int_users_changed')}"
    after_increments = _snapshots(incremental, relations)
    changed_rows = incremental.warehouse.query(users_changed)
    users_now = {
        row[0]
        for row in incremental.warehouse.query(f"select user_key from {relations['dim_users']}")
    }
    incremental.dbt(*RUN, "--full-refresh", vars=VARS)
    return IncrementalThenFull(
        engine=incremental,
        run=run,
        dropped=dropped,
        users_ever=users_ever,
        users_now=users_now,
        changed_rows=changed_rows,
        refreshed_changed_rows=incremental.warehouse.query(users_changed),
        after_increments=after_increments,
        full_refreshed=_snapshots(incremental, relations),
    )


def test_incremental_build_equals_full_refresh(incremental_then_full: IncrementalThenFull) -> None:
    built = incremental_then_full
    # guard: a property column arrived between batches (absent first, then sent)
    assert built.dropped[0] and not built.dropped[-1], built.dropped
    assert all(built.after_increments.values()), (
        "a model is empty: the comparison would prove nothing"
    )
    # int_users_changed lists every user dim_users held at some point, those it no longer
    # holds as vanished (a device's anonymous key once linked: planted in every batch)
    vanished = {row[0] for row in built.changed_rows if row[1]}
    assert vanished, "no user vanished: the test would not show that their rows go"
    assert vanished == built.users_ever - built.users_now
    assert {row[0] for row in built.changed_rows if not row[1]} == built.users_now
    # ... and after a full refresh, the users dim_users holds, none vanished, with their
    # accounts as the incremental runs recorded them
    assert sorted(built.refreshed_changed_rows, key=str) == sorted(
        (row for row in built.changed_rows if not row[1]), key=str
    )
    for name in COMPARED:
        incremental, full_refresh = built.after_increments[name], built.full_refreshed[name]
        assert len(incremental) == len(full_refresh), name
        mismatched = [(a, b) for a, b in zip(incremental, full_refresh, strict=True) if a != b]
        assert not mismatched, f"{name}: {len(mismatched)} rows differ, e.g. {mismatched[:3]}"


#: Each incremental model with the column that marks the run that wrote its rows.
RUN_MARKS = {
    **{name: "staged_at" for name in COMPARED if name.startswith("base_segment__")},
    "int_anonymous_ids_linked": "processed_at",
    "int_users_flagged_internal": "flagged_at",
    "int_timelines_changed": "processed_at",
    "int_user_timelines": "processed_at",
    "fct_events": "processed_at",
    "fct_event_properties": "processed_at",
    "fct_sessions": "processed_at",
    "dim_users": "processed_at",
    "int_users_changed": "processed_at",
    "int_funnel_entities_changed": "processed_at",
    **{name: "processed_at" for name in INCREMENTAL_MARTS},
}


def test_incremental_run_without_new_rows_writes_nothing(
    incremental_then_full: IncrementalThenFull,
) -> None:
    """An incremental run on the raw rows already built (by the full refresh) re-reads those in
    the lookback but stages none of them again, so no model downstream recomputes a timeline:
    every model still holds only the rows of the full refresh."""
    rerun, built = incremental_then_full.engine, incremental_then_full.run

    def marks() -> dict[str, list[tuple[Any, ...]]]:
        """Per model, its rows counted by the run that wrote them (read on one connection)."""
        results = rerun.warehouse.query_many(
            [
                f"select {column}, count(*) from {built.relation(name)} "
                f"group by {column} order by {column}"
                for name, column in RUN_MARKS.items()
            ]
        )
        return {name: rows for name, (_, rows) in zip(RUN_MARKS, results, strict=True)}

    before = marks()
    assert all(len(rows) == 1 and rows[0][1] > 0 for rows in before.values()), before
    rerun.dbt(*RUN, vars=VARS)
    assert marks() == before
