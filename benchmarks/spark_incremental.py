"""Incremental runs equal a full refresh on Spark: a check on the fixtures, prints the figures.

    GROWTH_HASH_SECRET=... .venv/bin/python benchmarks/spark_incremental.py --work /tmp/x

Needs the Spark toolchain (bin/setup --spark). In a fresh warehouse under <work>/spark:
1. seeds the project (fixtures and config seeds);
2. keeps in each raw fixture table only the rows that had arrived by the first cut (received_at
   for Segment, created_at for orders, date for ad spend; rows without a readable time arrive
   first), as pytests/test_incremental.py does with generated data, and builds the incremental
   models and what they read (test_incremental's selection);
3. for each later cut, puts back the rows arrived by then and runs the same selection
   incrementally; before the last run an erasure request (deletion_requests) names a user
   stored by an earlier run, so the erasure hooks delete stored rows;
4. copies every incremental model's Parquet files aside, rebuilds with --full-refresh and
   compares each model's rows (DuckDB over the Parquet files, EXCEPT ALL both ways; run
   metadata left out as benchmarks/core_models.py does).
Exits 1 when a model differs, is empty or failed in a run (a failed model is not compared;
the runs go on). The raw tables are changed by a pyspark process of
its own between dbt runs (Derby allows one process per metastore).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from core_models import RUN_HISTORY_MODELS, run_metadata_columns

from growthkit.dbt_runner import FAILED_STATUSES, DbtRun, run_dbt

#: test_incremental's selection: the core marts, the incremental marts and what they read.
INCREMENTAL_MARTS = [
    "fct_order_conversion",
    "fct_user_returns",
    "fct_user_lifecycle",
    "dim_user_segments",
    "fct_user_segments_daily",
    "int_funnel_entity_events",
    "fct_funnel_steps",
    "int_attribution_conversions",
    "fct_attribution_touches",
    "int_attribution_journey_transitions",
    "int_user_retention_periods",
    "int_user_engagement_periods",
    "fct_tracking_plan_violations",
]
SELECTION = [
    "--select",
    "+path:models/marts/core",
    "base_segment__experiment_viewed",
    *(f"+{name}" for name in INCREMENTAL_MARTS),
    "--exclude",
    "tag:fixtures",
]
#: The fixtures span 1-10 March 2024: three batches.
CUTS = ["2024-03-02 00:00:00", "2024-03-04 00:00:00"]
TIME_COLUMNS = {"raw_segment": "received_at", "raw_shop": "created_at", "raw_marketing": "date"}
#: Run records besides core_models' RUN_HISTORY_MODELS: not compared.
RUN_RECORDS = {
    **RUN_HISTORY_MODELS,
    "int_funnel_entities_changed": "the last run's list of changed users x funnels; a full "
    "refresh lists the entities with a step event",
}
#: Erased before the last run: u_bob's calls arrive in the second batch.
ERASED_USER = "u_bob"

#: Run in a pyspark process of its own: executes the JSON list of statements read on stdin
#: against the warehouse in argv[1] (configured as profiles.yml's spark target), prints the
#: rows of `show tables` statements as JSON.
_SPARK_CODE = """
import json, sys
from pyspark.sql import SparkSession
spark_dir = sys.argv[1]
spark = (
    SparkSession.builder.enableHiveSupport()
    .config("spark.master", "local[*]")
    .config("spark.sql.warehouse.dir", spark_dir + "/warehouse")
    .config("spark.driver.extraJavaOptions", "-Dderby.system.home=" + spark_dir)
    .config("spark.sql.session.timeZone", "UTC")
    .config("spark.ui.enabled", "false")
    .config("spark.driver.memory", "4g")
    .getOrCreate()
)
out = []
for statement in json.load(sys.stdin):
    rows = spark.sql(statement).collect()
    if statement.lower().startswith("show tables"):
        out.append([row["tableName"] for row in rows])
print("JSON:" + json.dumps(out))
"""


def spark_sql(spark_dir: Path, statements: list[str]) -> list[Any]:
    done = subprocess.run(
        [sys.executable, "-c", _SPARK_CODE, str(spark_dir)],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pyspark failed:\n{done.stderr[-3000:]}")
    line = next(line for line in done.stdout.splitlines() if line.startswith("JSON:"))
    result: list[Any] = json.loads(line[5:])
    return result


def raw_tables(spark_dir: Path, schema: str) -> dict[str, list[str]]:
    """Raw fixture tables by schema suffix (raw_segment, ...)."""
    suffixes = list(TIME_COLUMNS)
    listed = spark_sql(spark_dir, [f"show tables in {schema}_{suffix}" for suffix in suffixes])
    return {
        suffix: [t for t in tables if not t.endswith("__all")]
        for suffix, tables in zip(suffixes, listed, strict=True)
    }


def arrived_by(column: str, cut: str | None) -> str:
    if cut is None:
        return "true"
    at = f"try_cast(`{column}` as timestamp)"
    return f"{at} is null or {at} < timestamp '{cut}'"


def load_batch(
    spark_dir: Path, schema: str, tables: dict[str, list[str]], cut: str | None, first: bool
) -> None:
    statements = []
    for suffix, names in tables.items():
        for name in names:
            table = f"{schema}_{suffix}.{name}"
            if first:
                statements.append(
                    f"create table {table}__all using parquet as select * from {table}"
                )
            statements.append(
                f"insert overwrite table {table} select * from {table}__all "
                f"where {arrived_by(TIME_COLUMNS[suffix], cut)}"
            )
    spark_sql(spark_dir, statements)


def parquet(spark_dir: Path, relation: str) -> Path:
    schema, table = relation.replace("`", "").split(".")[-2:]
    return spark_dir / "warehouse" / f"{schema}.db" / table


def _rows(table_dir: Path) -> str:
    """DuckDB SQL reading a Spark table's Parquet files (a table with no rows may have none:
    then its column names are unknown, and it reads as no rows of one column)."""
    if not any(table_dir.rglob("*.parquet")):
        return "(select null as no_rows where false)"
    return f"read_parquet('{table_dir}/**/*.parquet', union_by_name = true)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="a directory (emptied)")
    parser.add_argument("--schema", default="analytics")
    args = parser.parse_args(argv)
    work: Path = args.work
    shutil.rmtree(work, ignore_errors=True)
    spark_dir = work / "spark"
    spark_dir.mkdir(parents=True)
    env = {"GROWTH_SPARK_DIR": str(spark_dir), "GROWTH_SCHEMA": args.schema}
    cache = work / "parse-cache"
    #: models that failed in some run: their rows are not compared (they prove nothing)
    unbuilt: set[str] = set()

    def dbt(*dbt_args: str) -> tuple[DbtRun, float]:
        started = time.perf_counter()
        run = run_dbt(
            list(dbt_args),
            target="spark",
            env=env,
            work_dir=work / "dbt",
            parse_cache=cache,
            timeout_s=3600,
            echo=sys.stderr,
            check=False,
        )
        failed = sorted(
            r["unique_id"].split(".")[-1] for r in run.results if r["status"] in FAILED_STATUSES
        )
        if failed:
            print(f"  failed in `dbt {dbt_args[0]}`: {', '.join(failed)}")
            unbuilt.update(failed)
        return run, time.perf_counter() - started

    seeded, seconds = dbt("seed")
    print(f"seed: {seconds:.1f} s")
    tables = raw_tables(spark_dir, args.schema)
    requests = seeded.relation("deletion_requests", "seed").replace("`", "")
    runs = []
    for number, cut in enumerate([*CUTS, None]):
        load_batch(spark_dir, args.schema, tables, cut, first=number == 0)
        if cut is None:
            spark_sql(
                spark_dir,
                [f"insert into {requests} values ('{ERASED_USER}', null, timestamp '2024-03-09')"],
            )
        run, seconds = dbt("run", *SELECTION)
        kind = "first build" if number == 0 else "incremental"
        print(
            f"batch {number + 1} (arrived by {cut or 'the end'}): {kind} {seconds:.1f} s",
            flush=True,
        )
        runs.append(run)
    last = runs[-1]
    incremental_models = [
        node
        for node in last.nodes("model")
        if node["config"].get("materialized") == "incremental"
        and any(r["unique_id"] == node["unique_id"] for r in last.results)
    ]
    kept = work / "incremental"
    for node in incremental_models:
        if node["name"] not in unbuilt:
            shutil.copytree(parquet(spark_dir, node["relation_name"]), kept / node["name"])
    _, refresh_seconds = dbt("run", *SELECTION, "--full-refresh")
    print(f"full refresh: {refresh_seconds:.1f} s")

    con = duckdb.connect()
    failures = 0
    for node in sorted(incremental_models, key=lambda n: n["name"]):
        name = node["name"]
        if name in unbuilt:
            print(f"  {name:<38} not compared: a run failed")
            failures += 1
            continue
        if name in RUN_RECORDS:
            print(f"  {name:<38} not compared: {RUN_RECORDS[name]}")
            continue
        after = _rows(kept / name)
        refreshed = _rows(parquet(spark_dir, node["relation_name"]))
        columns = [row[0] for row in con.execute(f"describe select * from {refreshed}").fetchall()]
        left_out = run_metadata_columns(node, columns)
        cols = ", ".join(f'"{c}"' for c in columns if c not in left_out)
        row = con.execute(
            f"select (select count(*) from {after}), (select count(*) from {refreshed}), "
            f"(select count(*) from (select {cols} from {after} except all "
            f"select {cols} from {refreshed})), "
            f"(select count(*) from (select {cols} from {refreshed} except all "
            f"select {cols} from {after}))"
        ).fetchone()
        assert row is not None
        rows, refreshed_rows, only_incremental, only_refreshed = row
        bad = only_incremental or only_refreshed or not refreshed_rows
        failures += bool(bad)
        print(
            f"  {name:<38} {rows:>6} rows (full refresh {refreshed_rows}); only incremental "
            f"{only_incremental}, only full refresh {only_refreshed}"
            f"{'   <- DIFFERS' if bad else ''}"
        )
    print(f"{len(incremental_models)} incremental models, {failures} differ, are empty or failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
