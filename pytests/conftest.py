"""Shared fixtures: the engines, a throwaway PostgreSQL server, and one dbt build per engine.

A test that takes the ``engine`` fixture runs once per engine (duckdb, then postgres); restrict
with ``--engine duckdb`` (repeatable). ``built`` gives the result of one full ``dbt build`` of
the project (fixtures seeded, everything built and tested) on that engine, shared by all tests
of the session; ``engine.warehouse`` queries what it built.

Nothing here skips: if PostgreSQL cannot start, or the build fails, the tests that need them
fail with the reason. Skips are reported as failures (see ``pytest_runtest_makereport``).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TextIO
from unittest import mock

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlfluff_lint
import yaml

from growthkit.dbt_runner import (
    DEFAULT_ENGINES,
    ENGINES,
    PROJECT_ROOT,
    DbtError,
    DbtRun,
    Engine,
    Warehouse,
    run_dbt,
)
from growthkit.gen_contract import RAW_TABLES, RawTable
from growthkit.generate import MANIFEST, GenConfig, HazardRates, generate, parquet_path
from growthkit.load import load_duckdb, load_postgres
from growthkit.pgserver import PostgresError, ThrowawayPostgres
from growthkit.spark import load_spark

#: The target schema every test build writes to (custom schemas get it as a prefix).
TEST_SCHEMA = "analytics"
#: var('dev_email_hash_key') of dbt_project.yml: the non-secret key of email_hash in tests.
DEV_HASH_KEY: str = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["vars"][
    "dev_email_hash_key"
]

#: When the session started, and when the current test module did (time.monotonic(), and how
#: many of its tests have run): for the progress lines.
_STARTED = pytest.StashKey[float]()
_MODULE_STARTED = pytest.StashKey["tuple[float, int] | None"]()
#: sqlfluff, started in the background when test_sqlfluff is among the collected tests.
LINT_RUN = pytest.StashKey[sqlfluff_lint.LintRun]()
_SQL_LINT_TEST = "test_lint.py::test_sqlfluff"

#: The BI role of the test builds (var bi_roles): granted the marts only. Created on the
#: PostgreSQL server; DuckDB has no roles and ignores grants.
BI_ROLE = "growth_bi"
#: The vars of the session's fixture build (``dbt_build``): the marts granted to BI_ROLE.
BUILD_VARS = {"bi_roles": [BI_ROLE]}


def build_vars(engine: Engine) -> dict[str, Any]:
    """The fixture build's vars on ``engine``: BUILD_VARS, but no roles on Spark, which has no
    SQL grants (a build with roles stops there, by design: macro spark__apply_grants)."""
    return {} if engine.name == "spark" else BUILD_VARS


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "engines(*names): run this engine test only on these engines (a feature the others "
        "lack, such as PostgreSQL roles); it is deselected, not skipped, elsewhere",
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine",
        action="append",
        choices=ENGINES,
        help="run engine-parametrised tests only on this engine (repeatable; default: duckdb "
        "and postgres)",
    )
    parser.addoption(
        "--dbt-select",
        default=None,
        help="development only: build just these dbt nodes (a --select expression) in the "
        "shared builds; tests that check the whole project will then fail",
    )
    parser.addoption(
        "--engine-tests-only",
        action="store_true",
        help="leave out the engine-free checks (lint, manifest): bin/test runs them in the "
        "other of its two pytest processes",
    )


def _selected(config: pytest.Config) -> list[str]:
    """``--select`` arguments for the shared builds (empty: the whole project)."""
    select = config.getoption("dbt_select")
    # cautious: leave out the tests of selected models that also read unselected ones (they
    # would fail on relations this build never made).
    return ["--select", select, "--indirect-selection", "cautious"] if select else []


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        engines = metafunc.config.getoption("engine") or list(DEFAULT_ENGINES)
        metafunc.parametrize("engine", engines, indirect=True, scope="session")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the quick engine-free checks (ruff, manifest) before the builds, so -x fails fast;
    the SQL lint's test last.

    The sort is stable, so the grouping by engine that pytest made is kept. With
    ``--engine-tests-only`` the engine-free checks are deselected.
    """

    def on_engine(item: pytest.Item) -> bool:
        return "engine" in getattr(item, "fixturenames", ())

    def engine_not_marked(item: pytest.Item) -> bool:
        """A test marked ``engines(...)`` is about what only those engines have (roles)."""
        marker = item.get_closest_marker("engines")
        callspec = getattr(item, "callspec", None)
        return bool(marker and callspec and callspec.params.get("engine") not in marker.args)

    def lint(item: pytest.Item) -> bool:
        """The SQL lint runs in the background from the start (pytest_collection_finish): its
        test, which waits for the result, comes last, so that the builds run meanwhile."""
        return item.nodeid.endswith(_SQL_LINT_TEST)

    dropped = [item for item in items if engine_not_marked(item)]
    if config.getoption("engine_tests_only"):
        dropped += [item for item in items if not on_engine(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]
    items.sort(key=lambda item: (lint(item), on_engine(item)))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Turn a skip into a failure: every test here must run on every engine (xfail is kept)."""
    report = yield
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} was skipped ({reason}), but this suite does not skip: "
            "make the test run, or fail with a message that says what is missing"
        )
    return report


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the SQL lint now, so that it runs beside the builds (test_sqlfluff waits for it)."""
    if any(item.nodeid.endswith(_SQL_LINT_TEST) for item in session.items):
        session.config.stash[LINT_RUN] = sqlfluff_lint.start()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop a background lint that no test waited for (a run stopped early by -x)."""
    lint = session.config.stash.get(LINT_RUN, None)
    if lint is not None and lint.process is not None and lint.process.poll() is None:
        lint.process.kill()
        lint.process.wait()


def _minutes(seconds: float) -> str:
    return f"{int(seconds) // 60}m{int(seconds) % 60:02d}s"


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_STARTED] = time.monotonic()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    """Progress: a line each time the run leaves a test module (or the part of it that runs
    together: engine tests come after the engine-free ones), with that part's wall time (its
    fixtures' builds included) and the session's, so that a long quiet stretch has a name."""
    config = item.config
    if config.stash.get(_MODULE_STARTED, None) is None:
        config.stash[_MODULE_STARTED] = (time.monotonic(), 0)
    try:
        return (yield)
    finally:
        started, tests = config.stash[_MODULE_STARTED]
        if nextitem is None or nextitem.path != item.path:
            now = time.monotonic()
            reporter = config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.ensure_newline()
                reporter.write_line(
                    f"[progress] {item.path.name}: {tests + 1} tests in "
                    f"{_minutes(now - started)} (session {_minutes(now - config.stash[_STARTED])})"
                )
            config.stash[_MODULE_STARTED] = None
        else:
            config.stash[_MODULE_STARTED] = (started, tests + 1)


def _echo(config: pytest.Config) -> TextIO | None:
    """Stream dbt's output live when pytest does not capture (``-s``)."""
    return sys.stderr if config.getoption("capture") == "no" else None


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    """One throwaway PostgreSQL server for the whole session; removed afterwards."""
    server = ThrowawayPostgres(dbname="growth")
    problem = None
    try:
        server.start()
    except PostgresError as exc:
        problem = str(exc)
    if problem is not None:
        pytest.fail(f"could not start the throwaway PostgreSQL server: {problem}", pytrace=False)
    try:
        Warehouse("postgres", server.env()).execute(f"create role {BI_ROLE} login")
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def duckdb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh DuckDB file (not yet created) for this session."""
    return tmp_path_factory.mktemp("duckdb") / "growth.duckdb"


@pytest.fixture(scope="session")
def dbt_deps(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Install dbt packages once, if the project declares any."""
    if any((PROJECT_ROOT / name).exists() for name in ("packages.yml", "dependencies.yml")):
        run_dbt(["deps"], work_dir=tmp_path_factory.mktemp("dbt-deps"))


@pytest.fixture(scope="session")
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, dbt_deps: None
) -> Engine:
    """The engine a test runs on (parametrised: duckdb, postgres; spark when asked for)."""
    name: str = request.param
    if name == "duckdb":
        env = {"GROWTH_DUCKDB_PATH": str(request.getfixturevalue("duckdb_path"))}
    elif name == "postgres":
        server: ThrowawayPostgres = request.getfixturevalue("postgres")
        env = server.env()
    elif name == "spark":
        # a fresh warehouse and metastore (profiles.yml's spark target)
        env = {"GROWTH_SPARK_DIR": str(tmp_path_factory.mktemp("spark"))}
    else:
        raise ValueError(f"unknown engine {name!r}")
    env["GROWTH_SCHEMA"] = TEST_SCHEMA
    # The key of email_hash on every engine (the postgres target is not a dev target): the
    # project's documented dev key, so that the expected seeds' hashes hold everywhere.
    env["GROWTH_HASH_SECRET"] = DEV_HASH_KEY
    return Engine(
        name=name,
        env=env,
        work_dir=tmp_path_factory.mktemp(f"dbt-{name}"),
        echo=_echo(request.config),
        # dbt parses the project once per environment and vars, not once per run: its own
        # partial parsing (checked by dbt against every file) saves 10 s or more a run.
        parse_cache=tmp_path_factory.mktemp(f"dbt-parse-cache-{name}"),
    )


@pytest.fixture(scope="session")
def dbt_build(engine: Engine, pytestconfig: pytest.Config) -> DbtRun:
    """The session's first full ``dbt build`` on ``engine``, pass or fail (not checked here).
    The marts are granted to BI_ROLE (but on Spark)."""
    return engine.dbt("build", *_selected(pytestconfig), vars=build_vars(engine), check=False)


@pytest.fixture(scope="session")
def built(engine: Engine, dbt_build: DbtRun) -> DbtRun:
    """The first full ``dbt build`` on ``engine``; fails the test if that build did not pass."""
    if not dbt_build.ok:
        pytest.fail(
            f"the project does not build on {engine.name}, so this test cannot run:\n"
            f"{dbt_build.describe()}",
            pytrace=False,
        )
    return dbt_build


@pytest.fixture(scope="session")
def manifest_run(tmp_path_factory: pytest.TempPathFactory, dbt_deps: None) -> DbtRun:
    """``dbt parse`` of the project (duckdb target, nothing built); ``.manifest`` is the JSON."""
    work_dir = tmp_path_factory.mktemp("dbt-parse")
    env = {"GROWTH_DUCKDB_PATH": str(work_dir / "parse.duckdb"), "GROWTH_SCHEMA": TEST_SCHEMA}
    try:
        return run_dbt(["parse"], target="duckdb", env=env, work_dir=work_dir)
    except DbtError as exc:
        problem = str(exc)
    pytest.fail(f"dbt parse failed:\n{problem}", pytrace=False)


def write_raw_batch(calls: dict[RawTable, list[dict[str, Any]]], out: Path) -> Path:
    """Parquet files of every raw table, as the generator writes them, from hand-written rows
    (every contract column; those a row does not give are null; tables not in ``calls`` are
    empty), for load_generated."""
    manifest: dict[str, Any] = {"tables": {}}
    for table in RAW_TABLES:
        rows = calls.get(table, [])
        target = parquet_path(out, table)
        target.parent.mkdir(parents=True, exist_ok=True)
        full = [{name: row.get(name) for name in table.column_names} for row in rows]
        pq.write_table(pa.Table.from_pylist(full, schema=table.arrow_schema()), target)
        manifest["tables"][table.key] = {"rows": len(rows)}
    (out / MANIFEST).write_text(json.dumps(manifest))
    return out


def own_database(engine: Engine, name: str) -> Engine:
    """``engine`` pointed at a fresh database of its own (a DuckDB file, or a database on the
    throwaway PostgreSQL server), for tests that load raw tables of their own: the raw schemas
    segment, shop and marketing that the other tests load stay as they are."""
    work_dir = engine.work_dir / name
    if engine.name == "duckdb":
        path = work_dir / f"{name}.duckdb"
        path.unlink(missing_ok=True)
        env = {**engine.env, "GROWTH_DUCKDB_PATH": str(path)}
    elif engine.name == "spark":
        spark_dir = work_dir / "spark"
        shutil.rmtree(spark_dir, ignore_errors=True)
        env = {**engine.env, "GROWTH_SPARK_DIR": str(spark_dir)}
    else:
        engine.warehouse.execute(f"drop database if exists {name}")
        engine.warehouse.execute(f"create database {name}")
        env = {**engine.env, "PGDATABASE": name}
    work_dir.mkdir(parents=True, exist_ok=True)
    return replace(engine, env=env, work_dir=work_dir)


def load_generated(engine: Engine, path: Path) -> None:
    """Replace the raw tables of ``engine``'s database with the generated data in ``path``."""
    if engine.name == "duckdb":
        load_duckdb(path, engine.env["GROWTH_DUCKDB_PATH"], log=lambda _: None)
    elif engine.name == "spark":
        load_spark(path, engine.env["GROWTH_SPARK_DIR"], log=lambda _: None)
    else:
        with mock.patch.dict(os.environ, engine.env):
            load_postgres(path, progress=False, log=lambda _: None)


# -- generated data: one build per engine on data with every hazard injected -----------------

#: Hazards at several times their default rates, so that each occurs many times in small data.
HAZARDS = HazardRates(
    duplicate=0.03,
    null_timestamp=0.02,
    null_client_times=0.02,
    all_times_null=0.01,
    future_clock=0.02,
    late_arriving=0.03,
    missing_id=0.01,
    missing_identity=0.02,
    order_null_user=0.05,
    order_duplicate=0.05,
    # tracking-plan faults, raised so that each rule of the tracking QA meets tens of calls
    unplanned_property=0.1,
    missing_required_property=0.2,
    wrong_type=0.3,
    value_not_allowed=0.2,
)
#: 21 days across a month end (17 April to 7 May), so that the monthly marts have a month
#: before the last: existing customers, churn, returning visitors by month.
CONFIG = GenConfig(
    visitors=5_000, days=21, seed=2024, start_date=date(2024, 4, 17), hazards=HAZARDS
)
SOURCE_VARS = {"segment_schema": "segment", "shop_schema": "shop", "marketing_schema": "marketing"}
#: ``dbt build`` arguments for raw data a test loads itself: the fixtures are left out, and so
#: are the unit tests, which read no data and already ran in the shared build (``built``).
#: ``--exclude`` comes last, so that node names given after these are left out too.
DATA_BUILD = ("build", "--exclude-resource-type", "unit_test", "--exclude", "tag:fixtures")


def data_selection(*selectors: str) -> tuple[str, ...]:
    """dbt arguments that select ``selectors`` (``+name``: a model and what it reads) on raw data
    a test loads itself: a data test only when every node it reads is selected (cautious), the
    fixtures left out. ``--exclude`` comes last, as in DATA_BUILD."""
    return ("--select", *selectors, "--indirect-selection", "cautious", "--exclude", "tag:fixtures")


SEGMENT_TABLES = ["tracks", "pages", "identifies", "groups", "experiment_viewed"]


@dataclass
class GeneratedBuild:
    manifest: dict[str, Any]
    engine: Engine
    run: DbtRun

    def count(self, model: str, where: str = "true") -> int:
        relation = self.run.relation(model)
        return int(self.engine.warehouse.scalar(f"select count(*) from {relation} where {where}"))


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("generated")
    manifest = generate(CONFIG, out, progress=False, log=lambda _: None)
    return out, manifest


@pytest.fixture(scope="session")
def generated_build(
    engine: Engine, generated: tuple[Path, dict[str, Any]], pytestconfig: pytest.Config
) -> GeneratedBuild:
    """Load the generated data into the engine and build the project on it (fixtures excluded),
    in a schema of its own so that the fixture build's relations stay as they are."""
    path, manifest = generated
    load_generated(engine, path)
    gen_engine = replace(
        engine,
        env={**engine.env, "GROWTH_SCHEMA": "generated"},
        work_dir=engine.work_dir / "generated",
    )
    run = gen_engine.dbt(
        *DATA_BUILD,
        *_selected(pytestconfig),
        vars=SOURCE_VARS,
        check=False,
    )
    if not run.ok:
        pytest.fail(f"dbt build on generated data failed on {engine.name}:\n{run.describe()}")
    return GeneratedBuild(manifest=manifest, engine=gen_engine, run=run)
