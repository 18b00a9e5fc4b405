"""Run dbt commands against this project as subprocesses, and query what they built.

Every invocation gets its own ``--target-path`` and ``--log-path`` (fresh directories), so runs
one after another or side by side never read each other's ``run_results.json`` or manifest, and
the result of one run stays available to inspect afterwards. With ``parse_cache`` (a directory),
runs with the same target, environment and vars share dbt's partial-parse state: the project is
parsed once, and later runs re-read only what changed (see :func:`run_dbt`).

    run = run_dbt(["build"], target="duckdb", env={"GROWTH_DUCKDB_PATH": "/tmp/x.duckdb"})
    run.count_by_type()            # {"model": 12, "test": 80, ...}
    Warehouse("duckdb", env).query(f"select count(*) from {run.relation('fct_orders')}")

``run_dbt`` raises :class:`DbtError` (with the tail of dbt's output and the failing nodes) when
dbt exits non-zero, unless ``check=False``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TextIO

__all__ = [
    "DEFAULT_ENGINES",
    "ENGINES",
    "FAILED_STATUSES",
    "PROJECT_ROOT",
    "DbtError",
    "DbtRun",
    "Engine",
    "Warehouse",
    "find_dbt",
    "run_dbt",
]

#: The dbt project root (holds dbt_project.yml and profiles.yml).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The targets in profiles.yml, i.e. the engines the project must work on.
ENGINES: tuple[str, ...] = ("duckdb", "postgres", "spark")
#: The engines a test runs on unless told otherwise: Spark's toolchain is optional
#: (bin/setup --spark) and its tests run as a job of their own (bin/test).
DEFAULT_ENGINES: tuple[str, ...] = ("duckdb", "postgres")
#: run_results statuses that mean a node did not do its job ("skipped" in a build means an
#: upstream node failed).
FAILED_STATUSES = frozenset({"error", "fail", "runtime error", "skipped", "partial success"})

_TAIL_LINES = 60


class DbtError(RuntimeError):
    """A dbt command failed; the message holds the command, failing nodes and output tail."""

    def __init__(self, message: str, run: DbtRun | None = None) -> None:
        super().__init__(message)
        self.run = run


def find_dbt(project_dir: Path = PROJECT_ROOT) -> Path:
    """The dbt executable: the project's .venv, else next to this Python, else on PATH."""
    candidates = [
        project_dir / ".venv" / "bin" / "dbt",
        Path(sys.executable).parent / "dbt",
    ]
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    on_path = shutil.which("dbt")
    if on_path:
        return Path(on_path)
    raise DbtError(
        "dbt not found in .venv/bin, next to the running Python, or on PATH; "
        "run bin/setup to install the pinned toolchain into .venv"
    )


@dataclass
class DbtRun:
    """One finished dbt invocation."""

    argv: list[str]
    returncode: int
    output: str
    target_path: Path
    log_path: Path
    duration_s: float
    run_results: dict[str, Any] | None = field(repr=False)

    @property
    def ok(self) -> bool:
        """dbt exited 0 and no node errored, failed or was skipped."""
        return self.returncode == 0 and not self.failures()

    @property
    def results(self) -> list[dict[str, Any]]:
        """The ``results`` of run_results.json (empty for commands that write none)."""
        if self.run_results is None:
            return []
        results: list[dict[str, Any]] = self.run_results.get("results", [])
        return results

    def results_of_type(self, resource_type: str) -> list[dict[str, Any]]:
        """Results whose unique_id starts with ``resource_type`` (model, seed, test, unit_test)."""
        return [r for r in self.results if r["unique_id"].split(".", 1)[0] == resource_type]

    def count_by_type(self) -> dict[str, int]:
        return dict(Counter(r["unique_id"].split(".", 1)[0] for r in self.results))

    def count_by_status(self) -> dict[str, int]:
        return dict(Counter(r["status"] for r in self.results))

    def failures(self) -> list[str]:
        """One line per node with a failing status: ``unique_id [status]: message``."""
        lines = []
        for result in self.results:
            if result["status"] in FAILED_STATUSES:
                message = " ".join(str(result.get("message") or "").split())
                failures = result.get("failures")
                detail = f" ({failures} failing rows)" if failures else ""
                lines.append(f"{result['unique_id']} [{result['status']}]{detail}: {message}")
        return lines

    @cached_property
    def manifest(self) -> dict[str, Any]:
        """target/manifest.json of this run (written by parse, compile, build, run, ...)."""
        path = self.target_path / "manifest.json"
        try:
            manifest: dict[str, Any] = json.loads(path.read_text())
        except FileNotFoundError:
            raise DbtError(
                f"{path} does not exist; `dbt {' '.join(self.argv)}` wrote no manifest "
                "(did it fail before parsing finished?)",
                self,
            ) from None
        return manifest

    def nodes(self, resource_type: str) -> Iterator[dict[str, Any]]:
        """Manifest nodes of one resource type (model, seed, test, snapshot, ...)."""
        for node in self.manifest["nodes"].values():
            if node["resource_type"] == resource_type:
                yield node

    def relation(self, name: str, resource_type: str = "model") -> str:
        """The quoted relation a model or seed was built as, e.g. ``"growth"."main"."x"``."""
        matches = [
            node["relation_name"]
            for node in self.nodes(resource_type)
            if node["name"] == name and node.get("relation_name")
        ]
        if len(matches) != 1:
            raise DbtError(
                f"expected one {resource_type} named {name!r} with a relation in the manifest, "
                f"found {len(matches)}"
            )
        return str(matches[0])

    def tail(self, lines: int = _TAIL_LINES) -> str:
        return "\n".join(self.output.rstrip().splitlines()[-lines:])

    def describe(self) -> str:
        """A report for error messages: command, exit code, failing nodes, output tail."""
        parts = [
            f"`dbt {' '.join(self.argv)}` exited {self.returncode} after {self.duration_s:.0f}s",
        ]
        failures = self.failures()
        if failures:
            shown = failures[:30]
            more = f"\n  ... and {len(failures) - len(shown)} more" if len(failures) > 30 else ""
            parts.append("failing nodes:\n  " + "\n  ".join(shown) + more)
        parts.append(f"last {_TAIL_LINES} lines of output:\n{self.tail()}")
        parts.append(f"full debug log: {self.log_path / 'dbt.log'}")
        return "\n".join(parts)


def _dbt_env(env: Mapping[str, str] | None) -> dict[str, str]:
    merged = dict(os.environ)
    # Flags given on the command line win anyway; drop these so a developer's shell settings
    # cannot make a run read or write somewhere else.
    for key in ("DBT_TARGET_PATH", "DBT_LOG_PATH", "DBT_PROFILES_DIR", "DBT_PROJECT_DIR"):
        merged.pop(key, None)
    merged.update(
        {
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_VERSION_CHECK": "false",
            "DBT_USE_COLORS": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if env:
        merged.update(env)
    return merged


#: The file in which dbt keeps its parse results for the next run (``--partial-parse``).
_PARTIAL_PARSE = "partial_parse.msgpack"


def _parse_key(
    target: str,
    env: Mapping[str, str] | None,
    vars: Mapping[str, Any] | None,
    project_dir: Path,
) -> str:
    """Runs with the same key can share partial-parse state: dbt would reparse everything
    between two runs whose target, connection, env vars or ``--vars`` differ."""
    described = json.dumps(
        [target, sorted((env or {}).items()), vars or {}, str(project_dir)],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(described.encode()).hexdigest()[:20]


def run_dbt(
    args: Sequence[str],
    *,
    target: str = "duckdb",
    env: Mapping[str, str] | None = None,
    vars: Mapping[str, Any] | None = None,
    project_dir: Path = PROJECT_ROOT,
    work_dir: Path | None = None,
    check: bool = True,
    timeout_s: float = 1800,
    echo: TextIO | None = None,
    state_dir: Path | None = None,
    parse_cache: Path | None = None,
) -> DbtRun:
    """Run ``dbt <args>`` from ``project_dir`` against ``target``.

    ``env`` is laid over the current environment (GROWTH_SCHEMA, GROWTH_DUCKDB_PATH, PG*).
    ``vars`` become ``--vars`` (JSON). Target and log paths are fresh directories under
    ``work_dir`` (a new temporary directory if None; the caller removes it). ``echo`` gets
    dbt's output line by line as it runs (e.g. ``sys.stderr``). Raises :class:`DbtError` on a
    non-zero exit if ``check``, or if dbt runs longer than ``timeout_s``.

    ``state_dir``, when given, is the target path instead, kept from run to run with partial
    parsing on: what a scheduled job that keeps its target directory sees (dbt re-parses only
    the files that changed).

    ``parse_cache``, when given, is a directory that keeps dbt's ``partial_parse.msgpack`` from
    one run to the next under a key of the target, ``env``, ``vars`` and project directory: the
    run still gets a fresh target path of its own, seeded with the saved state of an earlier run
    with the same key, and partial parsing on. dbt checks that state itself (project files by
    checksum, vars, profile, connection, env vars the files read) and parses afresh whatever
    changed, so the manifest is the one a full parse would give; the key only keeps runs whose
    state would not match from overwriting each other's. Parsing the project from scratch takes
    10 s or more, so tests that run dbt many times save minutes.
    """
    if not args:
        raise ValueError("run_dbt needs a dbt command, e.g. ['build']")
    if work_dir is None:
        run_dir = Path(tempfile.mkdtemp(prefix=f"dbt-{args[0]}-"))
    else:
        work_dir.mkdir(parents=True, exist_ok=True)
        run_dir = Path(tempfile.mkdtemp(prefix=f"{args[0]}-", dir=work_dir))
    target_path, log_path = state_dir or run_dir / "target", run_dir / "logs"
    saved_state, reused_state = None, None
    if parse_cache is not None and state_dir is None:
        saved_state = parse_cache / _parse_key(target, env, vars, project_dir) / _PARTIAL_PARSE
        if saved_state.exists():
            target_path.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(saved_state, target_path / _PARTIAL_PARSE)
            reused_state = (target_path / _PARTIAL_PARSE).stat().st_mtime_ns
    argv = [
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target",
        target,
        "--target-path",
        str(target_path),
        "--log-path",
        str(log_path),
        "--log-format",
        "text",
        "--no-use-colors",
        "--partial-parse" if state_dir or saved_state is not None else "--no-partial-parse",
    ]
    if vars:
        argv += ["--vars", json.dumps(dict(vars))]
    dbt = find_dbt(project_dir)

    started = time.monotonic()
    lines: list[str] = []
    with subprocess.Popen(
        [str(dbt), *argv],
        cwd=project_dir,
        env=_dbt_env(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    ) as proc:
        timed_out = threading.Event()

        def kill_on_timeout() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout_s, kill_on_timeout)
        timer.daemon = True
        timer.start()
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                lines.append(line)
                if echo is not None:
                    echo.write(line)
                    echo.flush()
            returncode = proc.wait()
        except BaseException:
            proc.kill()
            raise
        finally:
            timer.cancel()

    new_state = target_path / _PARTIAL_PARSE
    if (
        saved_state is not None
        and new_state.exists()
        and new_state.stat().st_mtime_ns != reused_state
    ):
        # dbt parsed (some files changed, or there was no saved state): keep its new state.
        saved_state.parent.mkdir(parents=True, exist_ok=True)
        partial = saved_state.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(new_state, partial)
        partial.replace(saved_state)

    run_results = None
    with contextlib.suppress(FileNotFoundError):
        run_results = json.loads((target_path / "run_results.json").read_text())
    run = DbtRun(
        argv=argv,
        returncode=returncode,
        output="".join(lines),
        target_path=target_path,
        log_path=log_path,
        duration_s=time.monotonic() - started,
        run_results=run_results,
    )
    if timed_out.is_set():
        raise DbtError(f"dbt was killed after {timeout_s:.0f}s\n{run.describe()}", run)
    if check and returncode != 0:
        raise DbtError(run.describe(), run)
    return run


@dataclass(frozen=True)
class Warehouse:
    """Access to the database a dbt target writes to, for comparing tables in tests.

    ``env`` is the same mapping given to :func:`run_dbt`: GROWTH_DUCKDB_PATH for duckdb, PG*
    for postgres, GROWTH_SPARK_DIR for spark (read through DuckDB from the warehouse's Parquet
    files, and written by a Spark process of its own: see growthkit.spark). Each query opens
    and closes its own connection, so no lock outlives it (DuckDB allows one writer process per
    file; Spark's Derby metastore one process). Sessions use UTC. Queries are read-only; ``execute``
    writes (a test changing a seed's rows between runs, or creating a database of its own).
    """

    target: str
    env: Mapping[str, str]

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Run one statement and return all rows."""
        return self.query_with_columns(sql)[1]

    def query_with_columns(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run one statement; return (column names, rows)."""
        if self.target == "duckdb":
            return self._duckdb(sql)
        if self.target == "postgres":
            return self._postgres(sql)
        if self.target == "spark":
            return self._spark_tables().query_many([sql])[0]
        raise ValueError(f"unknown target {self.target!r}; expected one of {ENGINES}")

    def query_many(
        self, statements: Sequence[str]
    ) -> list[tuple[list[str], list[tuple[Any, ...]]]]:
        """Run read-only statements one after another on ONE connection; return (column names,
        rows) of each, in order. For scans of many relations: opening a connection costs more
        than a query on small data (DuckDB reads the file's catalog each time). The connection
        is closed on return, so, as with ``query``, no lock outlives the call."""
        if self.target == "duckdb":
            return self._duckdb_many(statements)
        if self.target == "postgres":
            # each statement in a transaction of its own: a scan of hundreds of relations would
            # otherwise hold a lock on every one of them until the last query
            return self._postgres_many(statements, autocommit=True)
        if self.target == "spark":
            return self._spark_tables().query_many(statements)
        raise ValueError(f"unknown target {self.target!r}; expected one of {ENGINES}")

    def execute(self, sql: str) -> None:
        """Run one statement that writes, committed at once (PostgreSQL: in autocommit mode, so
        that ``create database`` works)."""
        if self.target == "duckdb":
            self._duckdb(sql, read_only=False)
        elif self.target == "postgres":
            self._postgres(sql, autocommit=True)
        elif self.target == "spark":
            from growthkit.spark import spark_sql

            spark_sql(self._spark_dir(), [sql])
        else:
            raise ValueError(f"unknown target {self.target!r}; expected one of {ENGINES}")

    def drop_column(self, table: str, column: str) -> None:
        """Drop ``column`` from ``table`` (``schema.table``). Spark's Parquet tables have no
        DROP COLUMN: the table is written again without it (as a copy renamed in its place)."""
        if self.target != "spark":
            self.execute(f"alter table {table} drop column {column}")
            return
        columns, _ = self.query_with_columns(f"select * from {table} limit 0")
        kept = [name for name in columns if name.lower() != column.lower()]
        if len(kept) == len(columns):
            raise DbtError(f"{table} has no column {column}")
        from growthkit.spark import spark_sql

        spark_sql(
            self._spark_dir(),
            [
                f"drop table if exists {table}__kept",
                f"create table {table}__kept using parquet as select "
                f"{', '.join(f'`{name}`' for name in kept)} from {table}",
                f"drop table {table}",
                f"alter table {table}__kept rename to {table}",
            ],
        )

    def scalar(self, sql: str) -> Any:
        rows = self.query(sql)
        if len(rows) != 1 or len(rows[0]) != 1:
            raise DbtError(f"expected one row with one value from: {sql}")
        return rows[0][0]

    def _spark_dir(self) -> str:
        path = self.env.get("GROWTH_SPARK_DIR")
        if not path:
            raise DbtError("GROWTH_SPARK_DIR is not set in the environment given to Warehouse")
        return path

    def _spark_tables(self) -> Any:
        from growthkit.spark import SparkTables

        return SparkTables(self._spark_dir())

    def _duckdb(self, sql: str, read_only: bool = True) -> tuple[list[str], list[tuple[Any, ...]]]:
        return self._duckdb_many([sql], read_only)[0]

    def _duckdb_many(
        self, statements: Sequence[str], read_only: bool = True
    ) -> list[tuple[list[str], list[tuple[Any, ...]]]]:
        import duckdb

        path = self.env.get("GROWTH_DUCKDB_PATH")
        if not path:
            raise DbtError("GROWTH_DUCKDB_PATH is not set in the environment given to Warehouse")
        results = []
        with duckdb.connect(path, read_only=read_only) as conn:
            conn.execute("set TimeZone = 'UTC'")
            for sql in statements:
                cursor = conn.execute(sql)
                columns = [d[0] for d in cursor.description or []]
                results.append((columns, cursor.fetchall() if cursor.description else []))
        return results

    def _postgres(
        self, sql: str, autocommit: bool = False
    ) -> tuple[list[str], list[tuple[Any, ...]]]:
        return self._postgres_many([sql], autocommit)[0]

    def _postgres_many(
        self, statements: Sequence[str], autocommit: bool = False
    ) -> list[tuple[list[str], list[tuple[Any, ...]]]]:
        import psycopg2

        keys = {
            "host": "PGHOST",
            "port": "PGPORT",
            "user": "PGUSER",
            "password": "PGPASSWORD",
            "dbname": "PGDATABASE",
        }
        params = {key: self.env[var] for key, var in keys.items() if self.env.get(var)}
        conn = psycopg2.connect(**params, options="-c TimeZone=UTC", connect_timeout=10)
        conn.autocommit = autocommit
        results = []
        try:
            with conn.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
                    columns = [d[0] for d in cursor.description or []]
                    rows = list(cursor.fetchall()) if cursor.description else []
                    results.append((columns, rows))
            return results
        finally:
            conn.close()


@dataclass
class Engine:
    """One dbt target plus the environment that points it at a private database.

    ``env`` holds GROWTH_SCHEMA and GROWTH_DUCKDB_PATH (duckdb) or PG* (postgres); every dbt
    run's target and log directories go under ``work_dir``.
    """

    name: str
    env: dict[str, str]
    work_dir: Path
    echo: TextIO | None = None
    #: Where runs of this engine keep partial-parse state for each other (see run_dbt).
    parse_cache: Path | None = None

    def dbt(self, *args: str, vars: Mapping[str, Any] | None = None, check: bool = True) -> DbtRun:
        """Run ``dbt <args>`` on this engine (raises DbtError on failure if ``check``)."""
        return run_dbt(
            list(args),
            target=self.name,
            env=self.env,
            vars=vars,
            work_dir=self.work_dir,
            check=check,
            echo=self.echo,
            parse_cache=self.parse_cache,
        )

    @property
    def warehouse(self) -> Warehouse:
        """Query the database this engine's dbt runs write to."""
        return Warehouse(self.name, self.env)
