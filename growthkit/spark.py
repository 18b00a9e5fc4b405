"""Apache Spark for the tests and the loader: a local SparkSession like the one dbt-spark starts,
generated data loaded into it, and its tables read back.

dbt's ``spark`` target (profiles.yml, method ``session``) runs Spark inside the dbt process: the
tables are Parquet files under ``<GROWTH_SPARK_DIR>/warehouse`` and the catalog is a Derby
metastore in ``GROWTH_SPARK_DIR``. Derby lets one process at a time open it, so nothing here
keeps a SparkSession in the caller's process:

- :func:`load_spark` and :func:`spark_sql` start a short-lived Python process of their own
  (``python -m growthkit.spark ...``) that opens the session, does the work and exits;
- :class:`SparkTables` reads the tables' Parquet files with DuckDB (no metastore, no lock), so a
  test checks what Spark wrote with the same SQL it uses on the other engines. Spark's views
  live only in the metastore and cannot be read this way.

The session's settings (:func:`session_config`) are read from profiles.yml's spark target.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from growthkit.gen_contract import (
    BOOLEAN,
    DATE,
    MONEY,
    NUMBER,
    RAW_TABLES,
    SCHEMAS,
    TEXT,
    TIMESTAMP,
)

__all__ = ["SparkError", "SparkTables", "load_spark", "session_config", "spark_sql"]

Log = Callable[[str], None]

#: The raw contract's column kinds as Spark SQL types.
SPARK_TYPES = {TEXT: "string", TIMESTAMP: "timestamp", DATE: "date", MONEY: "decimal(12,2)",
               NUMBER: "double", BOOLEAN: "boolean"}  # fmt: skip


class SparkError(RuntimeError):
    """A Spark step failed; the message holds what Spark printed."""


#: ``{{ env_var('GROWTH_SPARK_DIR', ...) }}`` in profiles.yml's spark settings.
_SPARK_DIR_VAR = re.compile(r"\{\{\s*env_var\(\s*'GROWTH_SPARK_DIR'\s*(?:,\s*'[^']*'\s*)?\)\s*\}\}")


def session_config(spark_dir: Path | str) -> dict[str, str]:
    """The SparkSession settings of profiles.yml's spark target (``server_side_parameters``),
    read from the file, for ``GROWTH_SPARK_DIR`` = ``spark_dir``."""
    import yaml

    from growthkit.dbt_runner import PROJECT_ROOT

    profiles = yaml.safe_load((PROJECT_ROOT / "profiles.yml").read_text())
    settings = profiles["growth_metrics"]["outputs"]["spark"]["server_side_parameters"]
    config = {}
    for key, value in settings.items():
        rendered = _SPARK_DIR_VAR.sub(lambda _: str(spark_dir), str(value))
        if "{{" in rendered:
            raise SparkError(f"profiles.yml spark setting {key}: cannot render {value!r} here")
        config[key] = rendered
    return config


def _session(spark_dir: Path) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("growthkit").enableHiveSupport()
    for key, value in session_config(spark_dir).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _bq(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _load_here(src: Path, spark_dir: Path, say: Log) -> dict[str, int]:
    """Replace the raw tables in the Spark warehouse (in this process)."""
    from growthkit.generate import parquet_path
    from growthkit.load import LoadError, _check_columns, _expected_rows, read_manifest

    manifest = read_manifest(src)
    for table in RAW_TABLES:
        _check_columns(src, table)
    spark = _session(spark_dir)
    loaded: dict[str, int] = {}
    try:
        for schema in SCHEMAS:
            spark.sql(f"create schema if not exists {_bq(schema)}")
        for table in RAW_TABLES:
            started = time.perf_counter()
            frame = spark.read.parquet(str(parquet_path(src, table).resolve()))
            casts = [
                f"cast({_bq(name)} as {SPARK_TYPES[kind]}) as {_bq(name)}"
                for name, kind in table.columns
            ]
            frame = frame.selectExpr(*casts)
            name = f"{_bq(table.schema)}.{_bq(table.name)}"
            spark.sql(f"drop table if exists {name}")
            frame.write.format("parquet").saveAsTable(f"{table.schema}.{table.name}")
            rows = int(spark.table(f"{table.schema}.{table.name}").count())
            expected = _expected_rows(manifest, table)
            if rows != expected:
                raise LoadError(
                    f"{table.key}: loaded {rows:,} rows but the manifest says {expected:,}; "
                    "the files were changed after generation: regenerate the data"
                )
            loaded[table.key] = rows
            say(f"load: {table.key:<28} {rows:>12,} rows  {time.perf_counter() - started:6.1f} s")
    finally:
        spark.stop()
    return loaded


def _sql_here(spark_dir: Path, statements: Sequence[str]) -> list[float]:
    """Run the statements; the seconds each took."""
    spark = _session(spark_dir)
    seconds = []
    try:
        for statement in statements:
            started = time.perf_counter()
            spark.sql(statement)
            seconds.append(time.perf_counter() - started)
    finally:
        spark.stop()
    return seconds


def _in_subprocess(args: Sequence[str], env: Mapping[str, str] | None, timeout_s: float) -> str:
    """Run ``python -m growthkit.spark <args>``; return its standard output."""
    run = subprocess.run(
        [sys.executable, "-m", "growthkit.spark", *args],
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    if run.returncode != 0:
        tail = "\n".join((run.stdout + run.stderr).splitlines()[-40:])
        raise SparkError(f"growthkit.spark {args[0]} failed (exit {run.returncode}):\n{tail}")
    return run.stdout


def load_spark(
    src: Path | str, spark_dir: Path | str, *, log: Log | None = None, timeout_s: float = 1800
) -> dict[str, int]:
    """Replace the raw tables (schemas segment, shop, marketing) in the Spark warehouse of
    ``spark_dir`` with the generated data in ``src``, typed as the raw contract says; check the
    row counts against its manifest. Runs in a process of its own (see the module's doc)."""
    out = _in_subprocess(["load", str(src), "--spark-dir", str(spark_dir)], None, timeout_s)
    lines = out.splitlines()
    for line in lines[:-1]:
        (log or print)(line)
    loaded: dict[str, int] = json.loads(lines[-1])
    return loaded


def spark_sql(
    spark_dir: Path | str, statements: Sequence[str], *, timeout_s: float = 600
) -> list[float]:
    """Run statements that write (DDL, DML) in the Spark warehouse of ``spark_dir``, in a
    process of its own (see the module's doc); return the seconds each took."""
    out = _in_subprocess(["sql", "--spark-dir", str(spark_dir), *statements], None, timeout_s)
    seconds: list[float] = json.loads(out.splitlines()[-1])
    return seconds


class SparkTables:
    """Read-only SQL over the tables of a Spark warehouse, through DuckDB.

    Each ``<schema>.db/<table>`` directory under ``<spark_dir>/warehouse`` becomes the DuckDB view
    ``<schema>.<table>`` over its Parquet files (partition directories ``column=value`` read as
    columns). Spark writes timestamps in UTC (the session's time zone), read here as DuckDB
    ``timestamp``. A table that is partitioned and empty has no file to read its columns from:
    it is left out, as are Spark's views (in the metastore only; the project makes no views on
    Spark, see dbt_project.yml).
    """

    def __init__(self, spark_dir: Path | str) -> None:
        self.warehouse = Path(spark_dir) / "warehouse"

    def tables(self) -> dict[tuple[str, str], Path]:
        """(schema, table) -> directory, for every table directory that holds Parquet. The
        tables of Spark's ``default`` schema (directories at the warehouse's top) are in
        DuckDB's ``main``, read without a schema name."""
        found = {}
        if not self.warehouse.is_dir():
            return found
        for directory in sorted(p for p in self.warehouse.iterdir() if p.is_dir()):
            if directory.name.endswith(".db"):
                schema, table_dirs = directory.name[: -len(".db")], list(directory.iterdir())
            else:
                schema, table_dirs = "main", [directory]
            for table_dir in sorted(p for p in table_dirs if p.is_dir()):
                if next(table_dir.rglob("*.parquet"), None) is not None:
                    found[(schema, table_dir.name)] = table_dir
        return found

    def query_many(
        self, statements: Sequence[str]
    ) -> list[tuple[list[str], list[tuple[Any, ...]]]]:
        import duckdb

        with duckdb.connect() as conn:
            conn.execute("set TimeZone = 'UTC'")
            schemas = set()
            for (schema, table), path in self.tables().items():
                if schema not in schemas:
                    conn.execute(f'create schema if not exists "{schema}"')
                    schemas.add(schema)
                files = str(path / "**" / "*.parquet").replace("'", "''")
                conn.execute(
                    f'create view "{schema}"."{table}" as select * from '
                    f"read_parquet('{files}', hive_partitioning = true, union_by_name = true)"
                )
            results = []
            for sql in statements:
                try:
                    # dbt-spark quotes identifiers with backticks, DuckDB with double quotes
                    cursor = conn.execute(sql.replace("`", '"'))
                except duckdb.CatalogException as exc:
                    raise SparkError(
                        f"{exc}\n(reading the Spark warehouse {self.warehouse} with DuckDB: only "
                        "tables with Parquet files can be read; views are in Spark's metastore)"
                    ) from exc
                columns = [d[0] for d in cursor.description or []]
                results.append((columns, cursor.fetchall() if cursor.description else []))
        return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m growthkit.spark",
        description="Work on a local Spark warehouse (profiles.yml's spark target).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("load", help="load generated Parquet into the raw tables")
    load.add_argument("src", type=Path)
    load.add_argument("--spark-dir", type=Path, required=True)
    sql = commands.add_parser("sql", help="run SQL statements (each one argument)")
    sql.add_argument("--spark-dir", type=Path, required=True)
    sql.add_argument("statements", nargs="+")
    args = parser.parse_args(argv)
    spark_dir = args.spark_dir.resolve()
    if args.command == "load":
        loaded = _load_here(args.src, spark_dir, lambda line: print(line, flush=True))
        print(json.dumps(loaded))
    else:
        print(json.dumps(_sql_here(spark_dir, args.statements)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
