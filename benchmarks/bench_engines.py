"""The warehouse side of the benchmark, once per engine: load, hold back, deliver, floor.

Each engine class loads the generated data, stores the raw tables in arrival order, moves the
last day to schema ``holdback`` and appends it back, runs the one-query floor and a plain copy
of the raw events, and answers queries for the report. The dbt runs themselves are in
core_models.py; ``dbt_env`` and ``target`` are what they need.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import duckdb

from growthkit.gen_contract import RAW_TABLES
from growthkit.load import load_duckdb, load_postgres
from growthkit.pgserver import ThrowawayPostgres
from growthkit.spark import SparkTables, load_spark, spark_sql

TIME_COLUMNS = {"segment": "received_at", "shop": "created_at", "marketing": "date"}
#: The key of email_hash in the benchmark's Postgres builds (the postgres target has no dev key).
BENCH_HASH_SECRET = "growthkit-benchmark-key-not-secret"

#: The floor's calls: the raw tracks and pages, with the fields the floor uses.
_FLOOR_CALLS = """
calls as (
    select id, anonymous_id, coalesce("timestamp", received_at) as event_at, received_at
    from segment.tracks
    union all
    select id, anonymous_id, coalesce("timestamp", received_at) as event_at, received_at
    from segment.pages
)"""
#: Sessions numbered per device from the deduplicated calls, then one row per session.
_FLOOR_SESSIONS = """
gaps as (
    select *,
        case when event_at - lag(event_at) over (partition by anonymous_id order by event_at, id)
             <= interval '30 minutes' then 0 else 1 end as starts_session
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
#: The floor: one hand-written query that reads the raw tracks and pages once, dedupes them by
#: message id and sessionizes them (no identity, channels or quarantine).
FLOOR_SQL = {
    "duckdb": f"""
create or replace table floor_sessions as
with {_FLOOR_CALLS},
deduped as (
    select * from calls
    where id is not null and anonymous_id is not null and event_at is not null
    qualify row_number() over (partition by id order by received_at) = 1
),
{_FLOOR_SESSIONS}""",
    # No QUALIFY on Postgres: the first copy of each id is kept by a subquery's row_number.
    "postgres": f"""
create table floor_sessions as
with {_FLOOR_CALLS},
copies as (
    select *, row_number() over (partition by id order by received_at) as copy_number
    from calls
    where id is not null and anonymous_id is not null and event_at is not null
),
deduped as (
    select id, anonymous_id, event_at, received_at from copies where copy_number = 1
),
{_FLOOR_SESSIONS}""",
    # Spark: the Postgres form, the session gap in epoch microseconds, a Parquet table.
    "spark": """
create table floor_sessions using parquet as
with calls as (
    select id, anonymous_id, coalesce(`timestamp`, received_at) as event_at, received_at
    from segment.tracks
    union all
    select id, anonymous_id, coalesce(`timestamp`, received_at) as event_at, received_at
    from segment.pages
),
copies as (
    select *, row_number() over (partition by id order by received_at) as copy_number
    from calls
    where id is not null and anonymous_id is not null and event_at is not null
),
deduped as (
    select id, anonymous_id, event_at, received_at from copies where copy_number = 1
),
gaps as (
    select *,
        case when unix_micros(event_at) - unix_micros(
                lag(event_at) over (partition by anonymous_id order by event_at, id)
             ) <= 30 * 60 * 1000000 then 0 else 1 end as starts_session
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
""",
}


def half_of_ram_mb() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**21


def new_rows(table_schema: str, cut: str) -> str:
    """The condition of a raw table's rows of the held-back day (received/created/dated)."""
    return f"\"{TIME_COLUMNS[table_schema]}\" >= timestamp '{cut}'"


class BenchEngine(Protocol):
    name: str
    target: str

    def dbt_env(self) -> dict[str, str]: ...
    def load(self, src: Path) -> None: ...
    def hold_back(self, cut: str) -> None: ...
    def deliver(self) -> None: ...
    def execute(self, *statements: str) -> None: ...
    def query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]: ...
    def floor(self) -> tuple[float, int, str]: ...
    def server_pid(self) -> int | None: ...
    def temp_bytes(self) -> int | None: ...
    def quote(self, name: str) -> str: ...


def events(engine: BenchEngine) -> int:
    _, rows = engine.query(
        "select (select count(*) from segment.tracks) + (select count(*) from segment.pages)"
    )
    return int(rows[0][0])


def copy_raw_events(engine: BenchEngine) -> float:
    """Seconds to store one plain copy of the raw tracks and pages (create table as select *)."""
    statements = []
    for table in ("tracks", "pages"):
        statements += [
            f"drop table if exists copy_{table}",
            f"create table copy_{table} as select * from segment.{table}",
        ]
    if isinstance(engine, SparkEngine):  # the statements' time, not the Spark process's start
        return sum(engine.timed(*statements))
    t0 = time.perf_counter()
    engine.execute(*statements)
    return time.perf_counter() - t0


class DuckDBEngine:
    """A DuckDB file in the work directory; a connection per call (dbt needs the file free)."""

    name = target = "duckdb"

    def __init__(self, database: Path) -> None:
        self.database = database
        self._scratch = database.parent / "arrival_order"

    def __enter__(self) -> DuckDBEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def dbt_env(self) -> dict[str, str]:
        return {"GROWTH_DUCKDB_PATH": str(self.database), "GROWTH_SCHEMA": "main"}

    def load(self, src: Path) -> None:
        load_duckdb(src, self.database, log=lambda _: None)

    def hold_back(self, cut: str) -> None:
        """Move the raw rows received at or after ``cut`` into schema holdback (the new day).

        Each raw table is first stored in arrival order (by its time column), as a loader that
        appends every sync leaves a warehouse table; the generator writes the rows visitor by
        visitor. An incremental run's scan for the rows received since its cutoff can then skip
        the older row groups, as it would on a real warehouse table.
        """
        con = duckdb.connect(str(self.database))
        con.execute("set preserve_insertion_order = true")
        con.execute("set enable_progress_bar = false")
        con.execute("create schema if not exists holdback")
        for table in RAW_TABLES:
            self._store_in_arrival_order(
                con, f"{table.schema}.{table.name}", TIME_COLUMNS[table.schema]
            )
            condition = new_rows(table.schema, cut)
            con.execute(
                f"create or replace table holdback.{table.name} as "
                f"select * from {table.schema}.{table.name} where {condition}"
            )
            con.execute(f"delete from {table.schema}.{table.name} where {condition}")
        con.execute("checkpoint")
        con.close()

    def _store_in_arrival_order(
        self, con: duckdb.DuckDBPyConnection, relation: str, column: str
    ) -> None:
        """Rewrite ``relation`` in the order of the day of ``column``, as a daily loader appends.

        The rows are written to Parquet files partitioned by day and read back file by file in
        day order (DuckDB lists a glob sorted): no sort of the whole table (at 100M events that
        sort spills tens of GB) and no scan of it per day. Rows without a day come last.
        """
        row = con.execute(f"select count(*) from {relation}").fetchone()
        if not row or not row[0]:
            return  # no rows, no files to read back
        scratch = self._scratch
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

    def deliver(self) -> None:
        """Append the held-back rows to the raw tables, as the loader's next run would."""
        self.execute(
            *(
                f"insert into {t.schema}.{t.name} select * from holdback.{t.name}"
                for t in RAW_TABLES
            ),
            "drop schema holdback cascade",
            "checkpoint",
        )

    def execute(self, *statements: str) -> None:
        con = duckdb.connect(str(self.database))
        try:
            con.execute("set enable_progress_bar = false")
            for statement in statements:
                con.execute(statement)
        finally:
            con.close()

    def query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            return columns, cursor.fetchall()
        finally:
            con.close()

    def floor(self) -> tuple[float, int, str]:
        """Seconds, sessions and the settings of the floor query."""
        con = duckdb.connect(str(self.database))
        try:
            con.execute("set preserve_insertion_order = false")
            con.execute("set enable_progress_bar = false")
            # At 100M events the floor's three windows in one query run out of memory under
            # DuckDB's default limit (80% of RAM: no headroom for what it cannot spill); at
            # half they spill.
            con.execute(f"set memory_limit = '{half_of_ram_mb()}MB'")
            t0 = time.perf_counter()
            con.execute(FLOOR_SQL["duckdb"])
            seconds = time.perf_counter() - t0
            row = con.execute("select count(*) from floor_sessions").fetchone()
        finally:
            con.close()
        return seconds, int(row[0]) if row else 0, f"memory_limit {half_of_ram_mb():,} MB"

    def server_pid(self) -> int | None:
        return None  # DuckDB runs inside the dbt process

    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def temp_bytes(self) -> int | None:
        return None


class PostgresEngine:
    """A throwaway PostgreSQL server (growthkit.pgserver, as the tests start it), database
    ``growth``, or the database the PG* variables ``env`` point at (then no server is started);
    the benchmark's own statements run in autocommit, so that no transaction of ours holds a
    lock while dbt runs."""

    name = target = "postgres"

    def __init__(self, progress: Any = None, env: Mapping[str, str] | None = None) -> None:
        self.server = None if env else ThrowawayPostgres(dbname="growth", progress=progress)
        self._env = dict(env) if env else None
        self._conn: Any = None

    def __enter__(self) -> PostgresEngine:
        if self.server is not None:
            self.server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self.server is not None:
            self.server.stop()

    def pg_env(self) -> dict[str, str]:
        """The PG* variables of the database."""
        if self._env is not None:
            return {key: value for key, value in self._env.items() if key.startswith("PG")}
        assert self.server is not None
        return self.server.env()

    def dbt_env(self) -> dict[str, str]:
        return {**self.pg_env(), "GROWTH_SCHEMA": "main", "GROWTH_HASH_SECRET": BENCH_HASH_SECRET}

    def _connection(self) -> Any:
        import psycopg2

        if self._conn is None or self._conn.closed:
            env = self.pg_env()
            self._conn = psycopg2.connect(
                host=env["PGHOST"],
                port=env["PGPORT"],
                user=env["PGUSER"],
                password=env.get("PGPASSWORD", ""),
                dbname=env["PGDATABASE"],
                options="-c TimeZone=UTC",
                application_name="growth-bench",
            )
            self._conn.autocommit = True
        return self._conn

    def load(self, src: Path) -> None:
        saved = {key: os.environ.get(key) for key in self.pg_env()}
        os.environ.update(self.pg_env())
        try:
            load_postgres(src, progress=False, log=lambda _: None)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def hold_back(self, cut: str) -> None:
        """Move the raw rows received at or after ``cut`` into schema holdback (the new day),
        storing the rest in arrival order (by the day of its time column, rows without one
        last), as a loader that appends every sync leaves a table; then analyse them, as the
        loader does."""
        statements = ["create schema if not exists holdback"]
        for table in RAW_TABLES:
            relation = f"{table.schema}.{table.name}"
            day = f'cast("{TIME_COLUMNS[table.schema]}" as date)'
            condition = new_rows(table.schema, cut)
            statements += [
                f"drop table if exists holdback.{table.name}",
                f"create table holdback.{table.name} as "
                f"select * from {relation} where {condition} order by {day}",
                f"create table {relation}__arrival as "
                f"select * from {relation} where ({condition}) is not true order by {day}",
                f"drop table {relation}",
                f"alter table {relation}__arrival rename to {table.name}",
                f"analyze {relation}",
            ]
        self.execute(*statements)

    def deliver(self) -> None:
        """Append the held-back rows to the raw tables, as the loader's next run would (no
        analyse: a day is under autovacuum's threshold, as it would be in production)."""
        self.execute(
            *(
                f"insert into {t.schema}.{t.name} select * from holdback.{t.name}"
                for t in RAW_TABLES
            ),
            "drop schema holdback cascade",
        )

    def execute(self, *statements: str) -> None:
        with self._connection().cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        with self._connection().cursor() as cursor:
            cursor.execute(sql)
            columns = [d[0] for d in cursor.description or []]
            return columns, list(cursor.fetchall()) if cursor.description else []

    def floor(self) -> tuple[float, int, str]:
        _, rows = self.query("show work_mem")
        work_mem = rows[0][0]
        self.execute("drop table if exists floor_sessions")
        t0 = time.perf_counter()
        self.execute(FLOOR_SQL["postgres"])
        seconds = time.perf_counter() - t0
        _, rows = self.query("select count(*) from floor_sessions")
        return seconds, int(rows[0][0]), f"work_mem {work_mem}"

    def server_pid(self) -> int | None:
        if self.server is None or not self.server.running:
            return None
        try:
            return int((self.server.data_dir / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def temp_bytes(self) -> int | None:
        """Bytes the server has written to temporary files (sorts and hashes that spilled)."""
        _, rows = self.query(
            "select temp_bytes from pg_stat_database where datname = current_database()"
        )
        return int(rows[0][0])


class SparkEngine:
    """A local Spark warehouse in the work directory (profiles.yml's spark target, as the tests
    use it). Spark's Derby metastore admits one process, and dbt's runs are processes of their
    own: each ``execute`` starts a Spark process for its statements (growthkit.spark), and
    queries read the tables' Parquet files with DuckDB. Plain Parquet tables have no DELETE:
    holding rows back rewrites a table without them."""

    name = target = "spark"

    def __init__(self, spark_dir: Path) -> None:
        self.spark_dir = spark_dir

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def dbt_env(self) -> dict[str, str]:
        return {"GROWTH_SPARK_DIR": str(self.spark_dir), "GROWTH_SCHEMA": "main"}

    def load(self, src: Path) -> None:
        load_spark(src, self.spark_dir, log=lambda _: None)

    def hold_back(self, cut: str) -> None:
        """Move the raw rows received at or after ``cut`` into schema holdback (the new day),
        the rest rewritten in arrival order (by the day of its time column, rows without one
        last)."""
        statements = ["create schema if not exists holdback"]
        for table in RAW_TABLES:
            relation = f"{table.schema}.{table.name}"
            day = f"cast(`{TIME_COLUMNS[table.schema]}` as date)"
            condition = new_rows(table.schema, cut).replace('"', "`")
            statements += [
                f"drop table if exists holdback.{table.name}",
                f"create table holdback.{table.name} using parquet as "
                f"select * from {relation} where {condition}",
                f"create table {relation}__arrival using parquet as "
                f"select * from {relation} where ({condition}) is not true "
                f"order by {day} nulls last",
                f"drop table {relation}",
                f"alter table {relation}__arrival rename to {relation}",
            ]
        self.execute(*statements)

    def deliver(self) -> None:
        """Append the held-back rows to the raw tables, as the loader's next run would."""
        self.execute(
            *(
                f"insert into {t.schema}.{t.name} select * from holdback.{t.name}"
                for t in RAW_TABLES
            ),
            "drop schema holdback cascade",
        )

    def execute(self, *statements: str) -> None:
        self.timed(*statements)

    def timed(self, *statements: str) -> list[float]:
        """Run the statements in one Spark process; the seconds each took (the process's start
        left out)."""
        return spark_sql(self.spark_dir, statements, timeout_s=7200)

    def query(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        return SparkTables(self.spark_dir).query_many([sql])[0]

    def floor(self) -> tuple[float, int, str]:
        seconds = self.timed("drop table if exists floor_sessions", FLOOR_SQL["spark"])[1]
        _, rows = self.query("select count(*) from floor_sessions")
        return seconds, int(rows[0][0]), "local[*], 8 shuffle partitions"

    def server_pid(self) -> int | None:
        return None  # Spark runs inside the dbt process (its JVM is dbt's child)

    def temp_bytes(self) -> int | None:
        return None

    def quote(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"
