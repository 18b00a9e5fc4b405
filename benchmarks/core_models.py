"""Benchmark of the event models on DuckDB, PostgreSQL or Spark: prints figures, asserts nothing.

    .venv/bin/python benchmarks/core_models.py --events 1000000
    .venv/bin/python benchmarks/core_models.py --events 10000000 --days 90 --all-marts
    .venv/bin/python benchmarks/core_models.py --visitors 3000 --days 60 --all-marts \\
        --engine postgres

It generates N events (or N visitors) over D days, loads them into the engine (DuckDB: a file
in the work directory, then deletes the Parquet files unless --keep-parquet; PostgreSQL: a
throwaway server started as the tests start it, growthkit.pgserver), stores each raw table in
arrival order (as a loader's appends leave it), holds the last day back, and:
1. runs the full build of the core models and everything they read on the history
   (`dbt run --select +path:models/marts/core`, no tests; `--all-marts` runs every model and
   also prints the time each folder adds);
2. appends the last day to the raw tables and runs the incremental build;
3. times the floor: one hand-written query that reads the raw tracks and pages once, dedupes
   them by message id and sessionizes them (no identity, channels or quarantine), and what
   storing one plain copy of the raw tracks and pages costs;
and prints each time, rows per second, the ratios full build / floor and incremental day /
full build, a table per model for each build as soon as it is done (slowest first) and the
peak memory of dbt and of the PostgreSQL server. A run stopped (Ctrl-C, SIGTERM, --dbt-timeout)
says in which phase. --markdown also prints the summary as README table rows. With
--compare-full-refresh it then rebuilds the same models with --full-refresh and prints, for
every incremental model of the manifest, its rows after the incremental run and the rows that
differ from the full refresh (run metadata left out): the incremental-equals-full-refresh check
at a size the tests do not reach.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench_engines import (
    BenchEngine,
    DuckDBEngine,
    PostgresEngine,
    SparkEngine,
    copy_raw_events,
    events,
)
from bench_memory import MemorySampler, Peaks

from growthkit.dbt_runner import DbtError, DbtRun, run_dbt
from growthkit.generate import GenConfig, generate

SOURCE_VARS = {"segment_schema": "segment", "shop_schema": "shop", "marketing_schema": "marketing"}
#: Materializations whose rows the per-model table counts (views and ephemerals have none).
STORED = {"table", "incremental"}
#: Columns that hold when a run wrote the row, not what the row says: left out of the
#: incremental-versus-full-refresh comparison. Columns set by the macro run_timestamp() in a
#: model's own SQL are found in its code as well (see run_metadata_columns).
RUN_METADATA_COLUMNS = {"processed_at", "staged_at", "flagged_at", "erased_at", "noticed_at"}
#: Incremental models that are a record of the runs themselves, which a full refresh has no
#: history of: left out of the comparison (pytests/test_incremental.py checks them otherwise).
RUN_HISTORY_MODELS = {
    "int_users_changed": "keeps the users that vanished in earlier runs and their accounts before",
}
#: "Surrogate key of (a, b, noticed_at)": the columns a documented key is made of.
_KEY_OF = re.compile(r"\bkey of \(([^)]*)\)", re.IGNORECASE)
_RUN_TIMESTAMP_AS = re.compile(r"run_timestamp\(\)\s*\}\}\s*as\s+(\w+)", re.IGNORECASE)
#: A model over this share of its build's wall time is marked in the per-model table.
HOT_SHARE = 0.25


#: The last progress line, reported if the run is stopped (Ctrl-C, SIGTERM, a dbt timeout).
_phase = ["starting"]


def _say(started: float, message: str) -> None:
    _phase[0] = f"[{time.perf_counter() - started:7.1f} s] {message}"
    print(_phase[0], file=sys.stderr, flush=True)


def _models_s(run: DbtRun) -> float:
    """Wall time dbt spent after parsing: hooks and nodes (run_results' elapsed_time)."""
    return float(run.run_results["elapsed_time"]) if run.run_results else 0.0


def _model_folder(run: DbtRun, unique_id: str) -> str:
    """models/marts/funnels/x.sql -> marts/funnels (the layer and area of a node)."""
    path = Path(run.manifest["nodes"][unique_id]["original_file_path"])
    return "/".join(path.parts[1:-1][:2]) or "hooks"


def _node(run: DbtRun, unique_id: str) -> dict[str, Any]:
    node: dict[str, Any] = run.manifest["nodes"].get(unique_id, {})
    return node


def _stored_rows(engine: BenchEngine, run: DbtRun) -> dict[str, int]:
    """Rows of every table the run built, by unique_id (count(*): cheap next to the build)."""
    rows = {}
    for result in run.results:
        node = _node(run, result["unique_id"])
        if node.get("config", {}).get("materialized") in STORED and node.get("relation_name"):
            _, found = engine.query(f"select count(*) from {node['relation_name']}")
            rows[result["unique_id"]] = int(found[0][0])
    return rows


@dataclass
class Build:
    """One timed dbt run and what was measured around it."""

    name: str
    run: DbtRun
    seconds: float
    peaks: Peaks
    rows: dict[str, int]
    temp_mb: float | None


def _model_table(build: Build) -> Iterator[str]:
    """The per-model lines of one build, slowest first."""
    results = sorted(build.run.results, key=lambda r: -r["execution_time"])
    yield (
        f"{build.name}: per model, slowest first (seconds of each model; share = of the whole "
        f"run's {build.seconds:.1f} s wall time, 2 threads overlap models; rows = rows in the "
        f"model's table after the run, '-' for views)"
    )
    yield f"  {'model':<44} {'rows':>12} {'seconds':>9} {'share':>7}"
    for result in results:
        name = result["unique_id"].split(".")[-1]
        seconds = result["execution_time"]
        share = seconds / build.seconds if build.seconds else 0.0
        rows = build.rows.get(result["unique_id"])
        hot = f"  <- over {HOT_SHARE:.0%} of the build" if share > HOT_SHARE else ""
        shown = f"{rows:,}" if rows is not None else "-"
        yield f"  {name:<44} {shown:>12} {seconds:9.2f} {share:7.1%}{hot}"
    startup = build.run.duration_s - _models_s(build.run)
    yield f"  (dbt start-up: import, parse, connect: {startup:.1f} s)"


def run_metadata_columns(node: dict[str, Any], columns: list[str]) -> list[str]:
    """The columns of a model that hold its run's time, and keys made of them (left out of
    comparisons)."""
    in_code = {m.lower() for m in _RUN_TIMESTAMP_AS.findall(node.get("raw_code", ""))}
    marks = [c for c in columns if c.lower() in RUN_METADATA_COLUMNS | in_code]
    # A key documented as made of a run-time column (fct_raw_schema_changes' schema_change_id,
    # "Surrogate key of (source_table, column_name, noticed_at)") differs with it.
    keys = []
    for name, column in node.get("columns", {}).items():
        made_of = _KEY_OF.search(column.get("description") or "")
        parts = {p.strip().lower() for p in made_of.group(1).split(",")} if made_of else set()
        if name in columns and name not in marks and parts & {m.lower() for m in marks}:
            keys.append(name)
    return marks + keys


def _compare_full_refresh(
    engine: BenchEngine,
    incremental: DbtRun,
    dbt_args: list[str],
    dbt: Any,
) -> None:
    """Keep every incremental model's result, rebuild with --full-refresh, print rows and
    differences (EXCEPT ALL both ways, run metadata left out)."""
    compared: list[tuple[str, str, str]] = []  # name, relation, column list
    # one execute for all the copies (on Spark, each execute is a process that starts Spark)
    copies = ["drop schema if exists incremental_copy cascade", "create schema incremental_copy"]
    for result in incremental.results:
        node = _node(incremental, result["unique_id"])
        if node.get("config", {}).get("materialized") != "incremental":
            continue
        if node["name"] in RUN_HISTORY_MODELS:
            print(f"  not compared: {node['name']} ({RUN_HISTORY_MODELS[node['name']]})")
            continue
        relation = node["relation_name"]
        columns, _ = engine.query(f"select * from {relation} where false")
        left_out = run_metadata_columns(node, columns)
        kept = ", ".join(engine.quote(c) for c in columns if c not in left_out)
        copies.append(
            f"create table incremental_copy.{node['name']} as select {kept} from {relation}"
        )
        compared.append((node["name"], relation, kept))
        note = f" (leaving out {', '.join(left_out)})" if left_out else ""
        print(f"  compared: {node['name']}{note}", file=sys.stderr)
    engine.execute(*copies)
    t0 = time.perf_counter()
    dbt([*dbt_args, "--full-refresh"])
    refresh_s = time.perf_counter() - t0
    print(f"full refresh of all the data in {refresh_s:.1f} s; incremental vs full refresh:")
    for name, relation, kept in sorted(compared):
        refreshed = f"(select {kept} from {relation}) as refreshed"
        copy = f"incremental_copy.{name}"
        try:
            _, rows = engine.query(
                f"select (select count(*) from {copy}), (select count(*) from {refreshed}), "
                f"(select count(*) from (select {kept} from {copy} except all "
                f"select {kept} from {relation}) as d1), "
                f"(select count(*) from (select {kept} from {relation} except all "
                f"select {kept} from {copy}) as d2)"
            )
        except Exception as exc:  # a type without equality (json): say so, compare the rest
            print(f"  {name:<34} not compared: {' '.join(str(exc).split())}")
            continue
        kept_rows, refreshed_rows, only_incremental, only_refreshed = rows[0]
        flag = "" if only_incremental == only_refreshed == 0 else "   <- differs"
        print(
            f"  {name:<34} {kept_rows:>12,} rows (full refresh {refreshed_rows:,}); "
            f"only in incremental {only_incremental:,}, only in full refresh "
            f"{only_refreshed:,}{flag}"
        )
    engine.execute("drop schema incremental_copy cascade")


def _mb(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value / 1024:.1f} GB" if value >= 1024 else f"{value:,.0f} MB"


def _count(n: int) -> str:
    """1,000,000 -> 1M, 160,123 -> 160k, 999,800 -> 1M (the README's labels): rounded to three
    significant digits before the unit is chosen, so that no label reads "1e+03k"."""
    rounded = float(f"{n:.3g}")
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if rounded >= size:
            return f"{rounded / size:.3g}{unit}"
    return str(n)


def _engine(name: str, work: Path, started: float) -> AbstractContextManager[BenchEngine]:
    if name == "postgres":
        return PostgresEngine(progress=lambda msg: _say(started, msg))
    if name == "spark":
        return SparkEngine(work / "spark")
    return DuckDBEngine(work / "bench.duckdb")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--events", type=int, default=None, help="tracks + pages (default 1M)")
    size.add_argument("--visitors", type=int, default=None, help="visitors instead of events")
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engine", choices=("duckdb", "postgres", "spark"), default="duckdb")
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
    parser.add_argument(
        "--markdown", action="store_true", help="also print the summary as README table rows"
    )
    parser.add_argument(
        "--echo-dbt", action="store_true", help="stream dbt's output to stderr as it runs"
    )
    parser.add_argument(
        "--dbt-timeout", type=float, default=4 * 3600, help="seconds before a dbt run is killed"
    )
    args = parser.parse_args(argv)
    if args.events is None and args.visitors is None:
        args.events = 1_000_000
    # A timeout's SIGTERM unwinds like Ctrl-C: dbt is killed, the throwaway server stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    source_vars: dict[str, object] = dict(SOURCE_VARS)
    if args.no_event_tables:
        source_vars["segment_event_tables"] = []

    started = time.perf_counter()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="growth-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    start = date(2024, 1, 1)
    cut = (start + timedelta(days=args.days - 1)).isoformat() + " 00:00:00"
    size_label = f"{args.events:,} events" if args.events else f"{args.visitors:,} visitors"
    _say(started, f"benchmark on {args.engine}: {size_label} over {args.days} days in {work}")

    t0 = time.perf_counter()
    generate(
        GenConfig(
            events=args.events,
            visitors=args.visitors,
            days=args.days,
            seed=args.seed,
            start_date=start,
        ),
        work / "all",
        log=lambda msg: _say(started, msg),
    )
    generate_s = time.perf_counter() - t0
    selection = [] if args.all_marts else ["--select", "+path:models/marts/core"]
    dbt_args = ["run", *selection, "--exclude", "tag:fixtures"]
    # The full build and the incremental run share a target directory, as a scheduled job's
    # runs do: the incremental run re-parses only what changed (nothing).
    state = work / "dbt" / "state"

    with _engine(args.engine, work, started) as engine, MemorySampler(engine.server_pid) as mem:

        def dbt(dbt_argv: list[str], keep_state: bool = True) -> DbtRun:
            return run_dbt(
                dbt_argv,
                target=engine.target,
                env=engine.dbt_env(),
                vars=source_vars,
                work_dir=work / "dbt",
                state_dir=state if keep_state else None,
                echo=sys.stderr if args.echo_dbt else None,
                timeout_s=args.dbt_timeout,
            )

        def timed(name: str, run_argv: list[str]) -> Build:
            temp_before = engine.temp_bytes()
            mem.phase()
            _say(started, f"{name}: dbt {' '.join(run_argv)}")
            t0 = time.perf_counter()
            run = dbt(run_argv)
            seconds = time.perf_counter() - t0
            peaks = mem.phase()
            temp_after = engine.temp_bytes()
            temp_mb = (
                (temp_after - temp_before) / 2**20
                if temp_after is not None and temp_before is not None
                else None
            )
            _say(started, f"{name}: {seconds:.1f} s; counting the rows of its tables")
            build = Build(name, run, seconds, peaks, _stored_rows(engine, run), temp_mb)
            # Printed as soon as it is known: a run stopped later still shows this one.
            print()
            for line in _model_table(build):
                print(line)
            sys.stdout.flush()
            return build

        engine.load(work / "all")
        _say(started, "loaded")
        if not args.keep_parquet:
            # The raw tables hold the data now; at 100M events the files are ~10 GB of disk
            # that DuckDB's spill space needs more.
            shutil.rmtree(work / "all")
        engine.hold_back(cut)
        history_events = events(engine)
        _say(started, f"held back the day from {cut}; {history_events:,} events of history")
        _say(started, "dbt seed (the config seeds)")
        dbt(["seed", "--exclude", "tag:fixtures"], keep_state=False)
        full = timed("full build", dbt_args)
        # Exact for the full build: the largest child so far (the seed run before it is small).
        full_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        engine.deliver()
        all_events = events(engine)
        incremental = timed("incremental day", dbt_args)
        _say(started, "floor query")
        floor_s, floor_sessions, floor_settings = engine.floor()
        copy_s = copy_raw_events(engine)

        ratio = full.seconds / floor_s if floor_s else float("nan")
        new_events = all_events - history_events
        print()
        print("summary")
        print(f"engine                   {args.engine}")
        print(f"events generated         {all_events:>14,}   in {generate_s:8.1f} s")
        print(
            f"full build (history)     {history_events:>14,}   in {full.seconds:8.1f} s"
            f"   {history_events / full.seconds:>12,.0f} events/s"
        )
        print(
            f"incremental (last day)   {new_events:>14,} new"
            f"   in {incremental.seconds:5.1f} s   = {incremental.seconds / full.seconds:.1%}"
            " of the full build"
        )
        print(
            f"floor query (all events) {all_events:>14,}   in {floor_s:8.1f} s"
            f"   {all_events / floor_s:>12,.0f} events/s   ({floor_sessions:,} sessions;"
            f" {floor_settings})"
        )
        print(f"full build / floor       {ratio:14.1f} x")
        print(
            "one stored copy of the raw tracks and pages (create table as select *): "
            f"{copy_s:.1f} s"
        )
        print(
            f"peak memory of the dbt process (its peak resident set): full build "
            f"{_mb(full_rss_mb)} (getrusage, exact), incremental {_mb(incremental.peaks.dbt_mb)}"
            " (VmHWM sampled every 0.5 s)"
            + ("; DuckDB runs inside it" if args.engine == "duckdb" else "")
        )
        if args.engine == "postgres":
            print(
                "peak memory of the PostgreSQL server (sum of the PSS of the postmaster and its "
                "processes, shared memory counted once, sampled every 0.5 s): full build "
                f"{_mb(full.peaks.server_mb)}, incremental {_mb(incremental.peaks.server_mb)}; "
                "temporary files written (pg_stat_database.temp_bytes, sorts and hashes that "
                f"spilled): full build {_mb(full.temp_mb)}, incremental {_mb(incremental.temp_mb)}"
            )
        if args.all_marts:
            by_folder: dict[str, float] = {}
            for result in full.run.results:
                folder = _model_folder(full.run, result["unique_id"])
                by_folder[folder] = by_folder.get(folder, 0.0) + result["execution_time"]
            print()
            print(
                "full build, model time by folder (sum over models; 2 threads overlap them): "
                + ", ".join(f"{folder} {s:.1f} s" for folder, s in sorted(by_folder.items()))
            )
        if args.markdown:
            print()
            for line in _markdown(
                args, all_events, history_events, full, incremental, floor_s, full_rss_mb
            ):
                print(line)
        if args.compare_full_refresh:
            print()
            _say(started, "full refresh for the comparison")
            _compare_full_refresh(engine, incremental.run, dbt_args, dbt)
    _say(started, f"done; work directory {work}")
    return 0


def _markdown(
    args: argparse.Namespace,
    all_events: int,
    history_events: int,
    full: Build,
    incremental: Build,
    floor_s: float,
    full_rss_mb: float,
) -> Iterator[str]:
    """The summary as README table rows (header, then one row; then the slowest models)."""
    scope = "every model" if args.all_marts else "core models"
    server = (
        f"{_mb(max(full.peaks.server_mb or 0, incremental.peaks.server_mb or 0) or None)}"
        if args.engine == "postgres"
        else "-"
    )
    yield (
        f"| engine | events over days | full build ({scope}) | events/s | floor | "
        "full / floor | incremental day | peak dbt RSS | peak server PSS |"
    )
    yield "|---|---|---|---|---|---|---|---|---|"
    yield (
        f"| {args.engine} | {_count(all_events)} over {args.days} | {full.seconds:.1f} s | "
        f"{history_events / full.seconds:,.0f} | {floor_s:.1f} s | "
        f"{full.seconds / floor_s:.1f}x | {incremental.seconds:.1f} s "
        f"({incremental.seconds / full.seconds:.1%}) | "
        f"{_mb(max(full_rss_mb, incremental.peaks.dbt_mb or 0))} | {server} |"
    )
    yield ""
    yield "| build | slowest models (seconds, share of the build) |"
    yield "|---|---|"
    for build in (full, incremental):
        slowest = sorted(build.run.results, key=lambda r: -r["execution_time"])[:5]
        yield (
            f"| {build.name} | "
            + ", ".join(
                f"`{r['unique_id'].split('.')[-1]}` {r['execution_time']:.1f} s "
                f"({r['execution_time'] / build.seconds:.0%})"
                for r in slowest
            )
            + " |"
        )


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except (KeyboardInterrupt, SystemExit, DbtError) as stopped:
        if isinstance(stopped, SystemExit) and stopped.code in (0, 2, None):  # done, usage
            raise
        print(f"\nstopped ({type(stopped).__name__}) during: {_phase[0]}", flush=True)
        raise
