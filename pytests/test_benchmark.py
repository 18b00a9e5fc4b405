"""The benchmark's own warehouse work, on every engine, on hand-written raw rows (no dbt run).

- hold back / deliver: the rows received (created, dated) on or after the cut move to schema
  holdback and come back; the rest stay, stored in the order of their day (rows without a time
  stay and come last).
- the one-query floor: the DuckDB query and its Postgres form (no QUALIFY) give the sessions
  counted here by hand.
- which columns the incremental-equals-full-refresh comparison leaves out.
- the sizes of the README's table rows (a generated 1M is 999,8xx events or 1,0xx,xxx).
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from conftest import own_database, write_raw_batch

from growthkit.dbt_runner import Engine
from growthkit.gen_contract import AD_SPEND, ORDERS, PAGES, TRACKS

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

from bench_engines import BenchEngine, DuckDBEngine, PostgresEngine  # noqa: E402
from core_models import _count, run_metadata_columns  # noqa: E402

CUT = "2024-03-10 00:00:00"
DAY = datetime(2024, 3, 9)


def call(
    call_id: str | None, device: str | None, at: datetime | None, received: datetime | None
) -> dict:
    return {
        "id": call_id,
        "anonymous_id": device,
        "event": "Clicked",
        "timestamp": at,
        "received_at": received,
    }


def _bench_engine(engine: Engine, name: str) -> DuckDBEngine | PostgresEngine:
    own = own_database(engine, name)
    if engine.name == "duckdb":
        return DuckDBEngine(Path(own.env["GROWTH_DUCKDB_PATH"]))
    return PostgresEngine(env=own.env)


def _ids(bench: BenchEngine, relation: str, column: str = "id") -> list[Any]:
    """The column's values in the table's stored order (no order by: what a scan returns)."""
    return [row[0] for row in bench.query(f"select {column} from {relation}")[1]]


def test_hold_back_moves_the_last_day_and_delivers_it(engine: Engine, tmp_path: Path) -> None:
    # written newest first: the hold-back stores the history in the order of the day
    tracks = [
        call("t_new", "d1", DAY + timedelta(days=1), datetime(2024, 3, 10, 0, 0)),
        call("t_day9", "d1", DAY, DAY + timedelta(hours=23, minutes=59)),
        call("t_no_time", "d2", None, None),
        call("t_day2", "d1", datetime(2024, 3, 2), datetime(2024, 3, 2, 8)),
    ]
    pages = [call("p_new", "d3", None, datetime(2024, 3, 10, 12)), call("p_old", "d3", DAY, DAY)]
    orders = [
        {"order_id": "o_new", "created_at": datetime(2024, 3, 10, 1), "status": "completed"},
        {"order_id": "o_old", "created_at": datetime(2024, 3, 1, 1), "status": "completed"},
    ]
    spend = [
        {"date": date(2024, 3, 10), "utm_source": "google", "spend": 1},
        {"date": date(2024, 3, 9), "utm_source": "google", "spend": 2},
    ]
    src = write_raw_batch(
        {TRACKS: tracks, PAGES: pages, ORDERS: orders, AD_SPEND: spend}, tmp_path / "raw"
    )
    with _bench_engine(engine, "bench_hold_back") as bench:
        bench.load(src)
        bench.hold_back(CUT)
        assert _ids(bench, "segment.tracks") == ["t_day2", "t_day9", "t_no_time"]
        assert _ids(bench, "holdback.tracks") == ["t_new"]
        assert _ids(bench, "segment.pages") == ["p_old"]
        assert _ids(bench, "holdback.pages") == ["p_new"]
        assert _ids(bench, "shop.orders", "order_id") == ["o_old"]
        assert _ids(bench, "holdback.orders", "order_id") == ["o_new"]
        assert _ids(bench, "marketing.ad_spend", "spend") == [2]
        assert _ids(bench, "holdback.ad_spend", "spend") == [1]
        bench.deliver()
        assert sorted(_ids(bench, "segment.tracks")) == ["t_day2", "t_day9", "t_new", "t_no_time"]
        assert sorted(_ids(bench, "segment.pages")) == ["p_new", "p_old"]
        assert sorted(_ids(bench, "shop.orders", "order_id")) == ["o_new", "o_old"]
        assert sorted(_ids(bench, "marketing.ad_spend", "spend")) == [1, 2]
        schemas = bench.query(
            "select count(*) from information_schema.schemata where schema_name = 'holdback'"
        )[1]
        assert schemas == [(0,)]


def test_floor_sessions(engine: Engine, tmp_path: Path) -> None:
    at = datetime(2024, 3, 9, 10)
    minutes = timedelta(minutes=1)
    tracks = [
        call("a1", "dev_a", at, at),
        # the same message received again later: one event
        call("a2", "dev_a", at + 10 * minutes, at + 10 * minutes),
        call("a2", "dev_a", at + 10 * minutes, at + 90 * minutes),
        # exactly 30 minutes after the last: same session; 31 minutes later: a new one
        call("a3", "dev_a", at + 40 * minutes, at + 40 * minutes),
        call("a4", "dev_a", at + 71 * minutes, at + 71 * minutes),
        # no id, or no device: not counted
        call(None, "dev_a", at + 72 * minutes, at + 72 * minutes),
        call("x1", None, at, at),
    ]
    pages = [
        # no client time: the received time is used
        call("b1", "dev_b", None, at + 5 * minutes),
        call("b2", "dev_b", at + 20 * minutes, at + 20 * minutes),
    ]
    src = write_raw_batch({TRACKS: tracks, PAGES: pages}, tmp_path / "raw")
    with _bench_engine(engine, "bench_floor") as bench:
        bench.load(src)
        _, sessions, _ = bench.floor()
        rows = bench.query(
            "select anonymous_id, session_number, events, started_at, ended_at "
            "from floor_sessions order by 1, 2"
        )[1]
    assert sessions == 3
    expected = [
        ("dev_a", 1, 3, at, at + 40 * minutes),
        ("dev_a", 2, 1, at + 71 * minutes, at + 71 * minutes),
        ("dev_b", 1, 2, at + 5 * minutes, at + 20 * minutes),
    ]
    assert [
        (d, int(n), e, s.replace(tzinfo=None), f.replace(tzinfo=None)) for d, n, e, s, f in rows
    ] == expected


def test_run_metadata_columns() -> None:
    node = {
        "raw_code": "select a, {{ run_timestamp() }} as refreshed_at, b_at from x",
        "columns": {
            "event_key": {"description": "Surrogate key of (event_id, refreshed_at)."},
            "other_key": {"description": "Surrogate key of (event_id)."},
            "note": {"description": "Mentions refreshed_at but is no key."},
        },
    }
    columns = ["event_key", "other_key", "note", "b_at", "refreshed_at", "processed_at"]
    assert run_metadata_columns(node, columns) == ["refreshed_at", "processed_at", "event_key"]


def test_size_labels() -> None:
    assert _count(999_812) == "1M"
    assert _count(1_010_325) == "1.01M"
    assert _count(160_711) == "161k"
    assert _count(100_064_582) == "100M"
    assert _count(999) == "999"
    assert _count(1_000) == "1k"
