"""Benchmark of the core event models on DuckDB: prints figures, asserts nothing.

    .venv/bin/python benchmarks/core_models.py --events 1000000
    .venv/bin/python benchmarks/core_models.py --events 10000000 --days 90

It generates N events over D days, loads them into DuckDB (then deletes the Parquet files
unless --keep-parquet), stores each raw table in arrival order (as a loader's appends leave
it), holds the last day back, and:
1. runs the full build of the core models and everything they read on the history
   (`dbt run --select +path:models/marts/core`, no tests; `--all-marts` runs every model and
   also prints the time each mart folder adds);
2. appends the last day to the raw tables and runs the incremental build;
3. times the floor: one hand-written DuckDB query that reads the raw tracks and pages once,
   dedupes them by message id and sessionizes them (no identity, channels or quarantine), and
   what storing one plain copy of the raw tracks and pages costs;
and prints each time, rows per second, the peak memory of the dbt process, and the ratios
full build / floor and incremental day / full build. With --compare-full-refresh it then
rebuilds the same models with --full-refresh and prints, for each incremental model, its rows
after the incremental run and the rows that differ from the full refresh (run metadata left
out): the incremental-equals-full-refresh check at a size the tests do not reach.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from growthkit.dbt_runner import DbtRun, run_dbt
from growthkit.gen_contract import RAW_TABLES
from growthkit.generate import GenConfig, generate
from growthkit.load import load_duckdb

SOURCE_VARS = {"segment_schema": "segment", "shop_schema": "shop", "marketing_schema": "marketing"}
TIME_COLUMNS = {"segment": "received_at", "shop": "created_at", "marketing": "date"}

FLOOR_SQL = """
create or replace table floor_sessions as
with calls as (
    select id, anonymous_id, coalesce("timestamp", received_at) as event_at, received_at
    from segment.tracks
    union all
    select id, anonymous_id, coalesce("timestamp", received_at) as event_at, received_at
    from segment.pages
),
deduped as (
    select * from calls
    where id is not null and anonymous_id is not null and event_at is not null
    qualify row_number() over (partition by id order by received_at) = 1
),
gaps as (
    select *,
        case when event_at - lag(event_at) over (partition by anonymous_id order by event_at, id)
             <= interval 30 minute then 0 else 1 end as starts_session
    from deduped
),
numbered as (
    select *, sum(starts_session) over (
        partition by anonymous_id order by event_at, id rows unbounded preceding
    ) as session_number
    from gaps
)
select anonymous_id, session_number, count(*) as events, min(event_at) as started_at,
       max(event_at) as ended_at
from numbered
group by anonymous_id, session_number
"""


def _hold_back(database: Path, cut: str) -> None:
    """Move the raw rows received at or after ``cut`` into schema holdback (the new day).

    Each raw table is first stored in arrival order (by its time column), as a loader that
    appends every sync leaves a warehouse table; the generator writes the rows visitor by
    visitor. An incremental run's scan for the rows received since its cutoff can then skip
    the older row groups, as it would on a real warehouse table.
    """
    con = duckdb.connect(str(database))
    con.execute("set preserve_insertion_order = true")
    con.execute("set enable_progress_bar = false")
    con.execute("create schema if not exists holdback")
    for table in RAW_TABLES:
        column = TIME_COLUMNS[table.schema]
        _store_in_arrival_order(
            con, f"{table.schema}.{table.name}", column, database.parent / "arrival_order"
        )
        new_rows = f"\"{column}\" >= timestamp '{cut}'"
        con.execute(
            f"create or replace table holdback.{table.name} as "
            f"select * from {table.schema}.{table.name} where {new_rows}"
        )
        con.execute(f"delete from {table.schema}.{table.name} where {new_rows}")
    con.execute("checkpoint")
    con.close()


def _store_in_arrival_order(
    con: duckdb.DuckDBPyConnection, relation: str, column: str, scratch: Path
) -> None:
    """Rewrite ``relation`` in the order of the day of ``column``, as a daily loader appends.

    The rows are written to Parquet files partitioned by day and read back file by file in
    day order (DuckDB lists a glob sorted): no sort of the whole table (at 100M events that
    sort spills tens of GB) and no scan of it per day. Rows without a day come last.
    """
    shutil.rmtree(scratch, ignore_errors=True)
    con.execute(
        f'copy (select *, cast("{column}" as date) as arrival_day from {relation}) '
        f"to '{scratch}' (format parquet, partition_by (arrival_day))"
    )
    con.execute(
        f"create or replace table {relation} as select * exclude (arrival_day) "
        f"from read_parquet('{scratch}/*/*.parquet', hive_partitioning = true)"
    )
    shutil.rmtree(scratch)


def _deliver(database: Path) -> None:
    """Append the held-back rows to the raw tables, as the loader's next run would."""
    con = duckdb.connect(str(database))
    for table in RAW_TABLES:
        con.execute(f"insert into {table.schema}.{table.name} select * from holdback.{table.name}")
    con.execute("drop schema holdback cascade")
    con.execute("checkpoint")
    con.close()


def _half_of_ram_mb() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**21


def _peak_child_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _models_s(run: DbtRun) -> float:
    """Wall time dbt spent after parsing: hooks and nodes (run_results' elapsed_time)."""
    return float(run.run_results["elapsed_time"]) if run.run_results else 0.0


def _model_folder(run: DbtRun, unique_id: str) -> str:
    """models/marts/funnels/x.sql -> marts/funnels (the layer and area of a node)."""
    path = Path(run.manifest["nodes"][unique_id]["original_file_path"])
    return "/".join(path.parts[1:-1][:2]) or "hooks"


#: The schema of each layer's models (dbt custom schemas of the target schema "main").
LAYER_SCHEMAS = {"int": "main_intermediate", "fct": "main_marts", "dim": "main_marts"}

#: The incremental models compared with a full refresh, each with its run-metadata column.
COMPARED = {
    "int_anonymous_ids_linked": "processed_at",
    "int_user_timelines": "processed_at",
    "fct_events": "processed_at",
    "fct_event_properties": "processed_at",
    "fct_sessions": "processed_at",
    "dim_users": "processed_at",
}


def _relation(model: str) -> str:
    """``schema.model`` of a compared model, by its layer prefix."""
    return f"{LAYER_SCHEMAS[model.split('_')[0]]}.{model}"


def _compare_full_refresh(
    database: Path,
    dbt_args: list[str],
    env: dict[str, str],
    work: Path,
    state: Path,
    source_vars: dict[str, object],
) -> None:
    """Keep the incremental result, rebuild with --full-refresh, print rows and differences."""
    con = duckdb.connect(str(database))
    con.execute("create schema if not exists incremental_copy")
    for name, mark in COMPARED.items():
        con.execute(
            f"create or replace table incremental_copy.{name} as "
            f"select * exclude ({mark}) from {_relation(name)}"
        )
    con.close()
    t0 = time.perf_counter()
    run_dbt(
        [*dbt_args, "--full-refresh"],
        env=env,
        vars=source_vars,
        work_dir=work / "dbt",
        state_dir=state,
    )
    refresh_s = time.perf_counter() - t0
    con = duckdb.connect(str(database), read_only=True)
    print(f"full refresh of all the data in {refresh_s:.1f} s; incremental vs full refresh:")
    for name, mark in COMPARED.items():
        refreshed = f"(select * exclude ({mark}) from {_relation(name)})"
        kept = f"incremental_copy.{name}"
        counts = con.execute(
            f"select (select count(*) from {kept}), (select count(*) from {refreshed}), "
            f"(select count(*) from (select * from {kept} except all select * from {refreshed})), "
            f"(select count(*) from (select * from {refreshed} except all select * from {kept}))"
        ).fetchone()
        assert counts is not None
        rows, refreshed_rows, only_incremental, only_refreshed = counts
        print(
            f"  {name:<26} {rows:>12,} rows (full refresh {refreshed_rows:,}); "
            f"only in incremental {only_incremental:,}, only in full refresh {only_refreshed:,}"
        )
    con.close()


def _events(database: Path) -> int:
    con = duckdb.connect(str(database), read_only=True)
    row = con.execute(
        "select (select count(*) from segment.tracks) + (select count(*) from segment.pages)"
    ).fetchone()
    con.close()
    return int(row[0]) if row else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument(
        "--keep-parquet",
        action="store_true",
        help="keep the generated Parquet files (deleted once loaded, to leave disk to DuckDB)",
    )
    parser.add_argument(
        "--all-marts",
        action="store_true",
        help="build every model, not only the core marts and what they read",
    )
    parser.add_argument(
        "--no-event-tables",
        action="store_true",
        help="read no per-event table (var segment_event_tables: []), to time the build without",
    )
    parser.add_argument(
        "--compare-full-refresh",
        action="store_true",
        help="after the incremental run, rebuild with --full-refresh and print the differences",
    )
    args = parser.parse_args(argv)
    source_vars: dict[str, object] = dict(SOURCE_VARS)
    if args.no_event_tables:
        source_vars["segment_event_tables"] = []

    work = args.work_dir or Path(tempfile.mkdtemp(prefix="growth-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    start = date(2024, 1, 1)
    cut = (start + timedelta(days=args.days - 1)).isoformat() + " 00:00:00"
    print(f"benchmark: {args.events:,} events over {args.days} days in {work}", file=sys.stderr)

    t0 = time.perf_counter()
    generate(
        GenConfig(events=args.events, days=args.days, seed=args.seed, start_date=start),
        work / "all",
        log=lambda msg: print(msg, file=sys.stderr),
    )
    generate_s = time.perf_counter() - t0
    database = work / "bench.duckdb"
    env = {"GROWTH_DUCKDB_PATH": str(database), "GROWTH_SCHEMA": "main"}
    selection = [] if args.all_marts else ["--select", "+path:models/marts/core"]
    dbt_args = ["run", *selection, "--exclude", "tag:fixtures"]

    load_duckdb(work / "all", database, log=lambda _: None)
    if not args.keep_parquet:
        # The raw tables hold the data now; at 100M events the files are ~10 GB of disk that
        # DuckDB's spill space needs more.
        shutil.rmtree(work / "all")
    _hold_back(database, cut)
    history_events = _events(database)
    run_dbt(["seed", "--exclude", "tag:fixtures"], env=env, work_dir=work / "dbt")
    t0 = time.perf_counter()
    # The full build and the incremental run share a target directory, as a scheduled job's
    # runs do: the incremental run re-parses only what changed (nothing).
    state = work / "dbt" / "state"
    full = run_dbt(dbt_args, env=env, vars=source_vars, work_dir=work / "dbt", state_dir=state)
    full_s = time.perf_counter() - t0
    full_rss = _peak_child_rss_mb()

    _deliver(database)
    all_events = _events(database)
    t0 = time.perf_counter()
    incremental = run_dbt(
        dbt_args, env=env, vars=source_vars, work_dir=work / "dbt", state_dir=state
    )
    incremental_s = time.perf_counter() - t0

    con = duckdb.connect(str(database))
    con.execute("set preserve_insertion_order = false")
    # At 100M events the floor's three windows in one query run out of memory under DuckDB's
    # default limit (80% of RAM: no headroom for what it cannot spill); at half they spill.
    con.execute(f"set memory_limit = '{_half_of_ram_mb()}MB'")
    t0 = time.perf_counter()
    con.execute(FLOOR_SQL)
    floor_s = time.perf_counter() - t0
    row = con.execute("select count(*) from floor_sessions").fetchone()
    floor_sessions = row[0] if row else 0
    # What storing the raw event rows once costs, beside the floor (which stores only its
    # sessions): the core models store them at least twice (staged rows, then fct_events).
    t0 = time.perf_counter()
    for table in ("tracks", "pages"):
        con.execute(f"create or replace table copy_{table} as select * from segment.{table}")
    copy_s = time.perf_counter() - t0
    con.close()

    print(f"events generated         {all_events:>14,}   in {generate_s:8.1f} s")
    print(
        f"full build (history)     {history_events:>14,}   in {full_s:8.1f} s"
        f"   {history_events / full_s:>12,.0f} events/s   peak dbt RSS {full_rss:,.0f} MB"
    )
    print(
        f"incremental (last day)   {all_events - history_events:>14,} new"
        f"   in {incremental_s:5.1f} s   = {incremental_s / full_s:.1%} of the full build"
    )
    print(
        f"floor query (all events) {all_events:>14,}   in {floor_s:8.1f} s"
        f"   {all_events / floor_s:>12,.0f} events/s   ({floor_sessions:,} sessions;"
        f" memory_limit {_half_of_ram_mb():,} MB)"
    )
    print(f"full build / floor       {full_s / floor_s:14.1f} x")
    print(f"one stored copy of the raw tracks and pages (create table as select *): {copy_s:.1f} s")
    for name, run in (("full build", full), ("incremental", incremental)):
        slowest = sorted(run.results, key=lambda r: -r["execution_time"])[:6]
        nodes = ", ".join(
            f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f} s" for r in slowest
        )
        startup_s = run.duration_s - _models_s(run)
        print(f"{name}: dbt start-up (import, parse) {startup_s:.1f} s; slowest: {nodes}")
    if args.compare_full_refresh:
        _compare_full_refresh(database, dbt_args, env, work, state, source_vars)
    if args.all_marts:
        by_folder: dict[str, float] = {}
        for result in full.results:
            folder = _model_folder(full, result["unique_id"])
            by_folder[folder] = by_folder.get(folder, 0.0) + result["execution_time"]
        print(
            "full build, model time by folder (sum over models; 2 threads overlap them): "
            + ", ".join(f"{folder} {s:.1f} s" for folder, s in sorted(by_folder.items()))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
