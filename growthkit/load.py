"""Load the generator's Parquet output into DuckDB or Postgres.

Both loaders create the schemas ``segment``, ``shop`` and ``marketing`` if needed and replace
every raw table of the contract (``gen_contract.RAW_TABLES``: the Segment tables, the per-event
tables, shop.orders and marketing.ad_spend) with the contract's column types, then check the
row counts against ``manifest.json``.

- DuckDB: ``create or replace table ... as select <typed columns> from read_parquet(...)``
  (no extension needed).
- Postgres: tables created with Postgres types (``timestamp with time zone`` for the UTC times,
  ``numeric(12,2)`` for money, ``double precision`` and ``boolean`` for event properties),
  filled with ``COPY ... FROM STDIN (FORMAT csv)`` through psycopg2 in batches, all in one
  transaction (a failed load leaves the previous tables as they were). The connection comes
  from the standard ``PG*`` environment variables.
"""

from __future__ import annotations

import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from tqdm import tqdm

from growthkit.gen_contract import (
    DUCKDB_TYPES,
    POSTGRES_TYPES,
    RAW_TABLES,
    SCHEMAS,
    RawTable,
)
from growthkit.generate import MANIFEST, parquet_path

__all__ = ["LoadError", "load_duckdb", "load_postgres", "read_manifest"]

Log = Callable[[str], None]


class LoadError(RuntimeError):
    """The data could not be loaded; the message says what was wrong and what to do."""


def _report(say: Log, loaded: dict[str, int], into: str, elapsed: float) -> None:
    events = loaded["segment.tracks"] + loaded["segment.pages"]
    say(
        f"load: {sum(loaded.values()):,} rows ({events:,} events) into {into} in "
        f"{elapsed:.1f} s ({events / max(elapsed, 1e-9):,.0f} events/s)"
    )


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def read_manifest(src: Path | str) -> dict[str, Any]:
    """The manifest of a generated data set, after checking that every table file exists."""
    src = Path(src)
    path = src / MANIFEST
    hint = f"run `growthkit generate --out {src}` first, or pass the directory it wrote to"
    if not src.is_dir():
        raise LoadError(f"{src} is not a directory; {hint}")
    if not path.is_file():
        raise LoadError(f"{path} not found: {src} does not hold generated data; {hint}")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise LoadError(f"cannot read {path}: {exc}; regenerate the data ({hint})") from exc
    missing = [str(parquet_path(src, t)) for t in RAW_TABLES if not parquet_path(src, t).is_file()]
    if missing:
        raise LoadError(f"missing table files: {', '.join(missing)}; {hint}")
    for table in RAW_TABLES:
        if table.key not in manifest.get("tables", {}):
            raise LoadError(f"{path} has no entry for {table.key}; {hint}")
    return manifest


def _expected_rows(manifest: dict[str, Any], table: RawTable) -> int:
    return int(manifest["tables"][table.key]["rows"])


def _check_columns(src: Path, table: RawTable) -> None:
    path = parquet_path(src, table)
    try:
        names = tuple(pq.read_schema(path).names)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise LoadError(f"cannot read {path}: {exc}; regenerate the data") from exc
    if names != table.column_names:
        raise LoadError(
            f"{path} has columns {list(names)}, the contract says {list(table.column_names)}; "
            "regenerate it with this version of growthkit"
        )


# --- DuckDB -------------------------------------------------------------------------------------
def _dq(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def load_duckdb(src: Path | str, database: Path | str, *, log: Log | None = None) -> dict[str, int]:
    """Replace the raw tables in the DuckDB file ``database``; return rows loaded per table."""
    import duckdb

    say = log or _stderr
    src, database = Path(src), Path(database)
    manifest = read_manifest(src)
    for table in RAW_TABLES:
        _check_columns(src, table)
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(database))
    except duckdb.IOException as exc:
        raise LoadError(
            f"cannot open {database}: {exc}. If another process (a dbt run, a duckdb shell, a "
            "notebook) has it open, close that first."
        ) from exc
    except OSError as exc:
        raise LoadError(f"cannot create {database}: {exc}; choose another --duckdb path") from exc
    loaded: dict[str, int] = {}
    started = time.perf_counter()
    try:
        con.execute("set timezone = 'UTC'")
        # Row order of raw tables carries no meaning; not keeping it halves the memory needed.
        con.execute("set preserve_insertion_order = false")
        con.execute("begin transaction")
        for schema in SCHEMAS:
            con.execute(f"create schema if not exists {_dq(schema)}")
        for table in RAW_TABLES:
            t0 = time.perf_counter()
            select = ", ".join(
                f"cast({_dq(name)} as {DUCKDB_TYPES[kind]}) as {_dq(name)}"
                for name, kind in table.columns
            )
            path = parquet_path(src, table).resolve()
            con.execute(
                f"create or replace table {_dq(table.schema)}.{_dq(table.name)} as "
                f"select {select} from read_parquet({_sql_string(str(path))})"
            )
            row = con.execute(
                f"select count(*) from {_dq(table.schema)}.{_dq(table.name)}"
            ).fetchone()
            rows = int(row[0]) if row else 0
            expected = _expected_rows(manifest, table)
            if rows != expected:
                raise LoadError(
                    f"{table.key}: loaded {rows:,} rows but the manifest says {expected:,}; "
                    "the files were changed after generation: regenerate the data"
                )
            loaded[table.key] = rows
            say(f"load: {table.key:<28} {rows:>12,} rows  {time.perf_counter() - t0:6.1f} s")
        con.execute("commit")
        con.execute("checkpoint")
    except duckdb.Error as exc:
        con.execute("rollback")
        raise LoadError(f"DuckDB failed while loading into {database}: {exc}") from exc
    finally:
        con.close()
    _report(say, loaded, str(database), time.perf_counter() - started)
    return loaded


# --- Postgres -----------------------------------------------------------------------------------
def _connect_postgres() -> Any:
    import os

    import psycopg2

    where = ", ".join(
        f"{key}={os.environ[key]}"
        for key in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE")
        if os.environ.get(key)
    )
    try:
        return psycopg2.connect("", connect_timeout=10, application_name="growthkit-load")
    except psycopg2.OperationalError as exc:
        raise LoadError(
            f"cannot connect to Postgres ({where or 'no PG* variables set: libpq defaults'}): "
            f"{str(exc).strip()}. Set PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE to a "
            "running server (for a throwaway one: `.venv/bin/python -m growthkit.pgserver` "
            "prints the variables to export)."
        ) from exc


def load_postgres(
    src: Path | str,
    *,
    batch_rows: int = 250_000,
    progress: bool = True,
    log: Log | None = None,
) -> dict[str, int]:
    """Replace the raw tables in the Postgres database the PG* variables point at."""
    import psycopg2
    from psycopg2 import sql

    say = log or _stderr
    src = Path(src)
    manifest = read_manifest(src)
    for table in RAW_TABLES:
        _check_columns(src, table)
    conn = _connect_postgres()
    loaded: dict[str, int] = {}
    started = time.perf_counter()
    try:
        with conn, conn.cursor() as cur:
            cur.execute("set time zone 'UTC'")
            for schema in SCHEMAS:
                cur.execute(
                    sql.SQL("create schema if not exists {}").format(sql.Identifier(schema))
                )
            for table in RAW_TABLES:
                t0 = time.perf_counter()
                target = sql.Identifier(table.schema, table.name)
                cur.execute(sql.SQL("drop table if exists {}").format(target))
                cur.execute(
                    sql.SQL("create table {} ({})").format(
                        target,
                        sql.SQL(", ").join(
                            sql.SQL("{} {}").format(
                                sql.Identifier(name), sql.SQL(POSTGRES_TYPES[kind])
                            )
                            for name, kind in table.columns
                        ),
                    )
                )
                copy = (
                    sql.SQL("copy {} ({}) from stdin with (format csv)")
                    .format(target, sql.SQL(", ").join(map(sql.Identifier, table.column_names)))
                    .as_string(conn)
                )
                expected = _expected_rows(manifest, table)
                parquet = pq.ParquetFile(parquet_path(src, table))
                rows = 0
                with tqdm(
                    total=expected,
                    unit=" rows",
                    desc=f"load {table.key}",
                    file=sys.stderr,
                    disable=not progress,
                    leave=False,
                ) as bar:
                    for batch in parquet.iter_batches(batch_size=batch_rows):
                        buffer = io.BytesIO()
                        pacsv.write_csv(batch, buffer, pacsv.WriteOptions(include_header=False))
                        buffer.seek(0)
                        cur.copy_expert(copy, buffer)
                        rows += batch.num_rows
                        bar.update(batch.num_rows)
                if rows != expected:
                    raise LoadError(
                        f"{table.key}: loaded {rows:,} rows but the manifest says {expected:,}; "
                        "the files were changed after generation: regenerate the data"
                    )
                cur.execute(sql.SQL("analyze {}").format(target))
                loaded[table.key] = rows
                say(f"load: {table.key:<28} {rows:>12,} rows  {time.perf_counter() - t0:6.1f} s")
    except psycopg2.Error as exc:
        raise LoadError(
            f"Postgres failed while loading (nothing was changed): {str(exc).strip()}"
        ) from exc
    finally:
        conn.close()
    _report(say, loaded, "Postgres", time.perf_counter() - started)
    return loaded
