"""The whole dbt project builds, tests and documents itself on every engine.

Engine tests share one ``dbt build`` per engine (the ``dbt_build``/``built`` fixtures); the
documentation checks read the manifest of a ``dbt parse`` and need no database.
"""

from __future__ import annotations

import re
from typing import Any

from conftest import build_vars

from growthkit.dbt_runner import DbtRun, Engine

#: A full build must run at least this many data tests (generic + singular) and unit tests.
#: Raise these as the project grows; they guard against tests silently dropping out.
MIN_DATA_TESTS = 180
MIN_UNIT_TESTS = 25

#: Generic tests that establish a primary key: unique, unique_combination_of_columns,
#: primary_key, ... (matched against the test's name, without package).
PRIMARY_KEY_TEST = re.compile(r"^unique|primary_key|unique_combination")

#: PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1) and dbt refuses longer
#: relation names, so a name that works on DuckDB can fail only there.
MAX_RELATION_NAME = 63

#: Node types a ``dbt build`` executes (analyses and ephemeral models are only compiled).
BUILT_TYPES = ("model", "seed", "snapshot", "test")


def _models(run: DbtRun) -> list[dict[str, Any]]:
    models = sorted(run.nodes("model"), key=lambda node: node["unique_id"])
    assert models, "the project has no models"
    return models


def _is_ephemeral(node: dict[str, Any]) -> bool:
    return bool(node["config"].get("materialized") == "ephemeral")


def _row_counts(engine: Engine, run: DbtRun) -> dict[str, int]:
    """Rows in every relation the build made (models and seeds), by unique_id (counted on one
    connection)."""
    nodes = [
        node
        for resource_type in ("model", "seed")
        for node in run.nodes(resource_type)
        if node.get("relation_name") and not _is_ephemeral(node)
    ]
    results = engine.warehouse.query_many(
        [f"select count(*) from {node['relation_name']}" for node in nodes]
    )
    return {
        node["unique_id"]: int(rows[0][0]) for node, (_, rows) in zip(nodes, results, strict=True)
    }


# -- the build, per engine -----------------------------------------------------------------------


def test_build_passes(engine: Engine, dbt_build: DbtRun) -> None:
    """``dbt build`` (fixtures seeded, all models built, all tests run) has no error or failure."""
    assert dbt_build.returncode == 0 and not dbt_build.failures(), (
        f"dbt build failed on {engine.name}:\n{dbt_build.describe()}"
    )


def test_build_runs_every_node(engine: Engine, built: DbtRun) -> None:
    """Every enabled model, seed, snapshot, data test and unit test ran (none left out)."""
    manifest = built.manifest
    expected = {
        node["unique_id"]
        for node in manifest["nodes"].values()
        if node["resource_type"] in BUILT_TYPES and not _is_ephemeral(node)
    } | set(manifest.get("unit_tests", {}))
    ran = {result["unique_id"] for result in built.results}
    missing = sorted(expected - ran)
    assert not missing, f"{len(missing)} nodes did not run on {engine.name}: {missing[:20]}"


def test_build_runs_enough_tests(engine: Engine, built: DbtRun) -> None:
    """The build executed a real test suite: many data tests and some unit tests, all passing."""
    passed = {
        kind: [r for r in built.results_of_type(kind) if r["status"] == "pass"]
        for kind in ("test", "unit_test")
    }
    n_models = len(_models(built))
    n_data, n_unit = len(passed["test"]), len(passed["unit_test"])
    summary = f"{engine.name}: {n_models} models, {n_data} data tests, {n_unit} unit tests passed"
    assert n_data >= max(MIN_DATA_TESTS, n_models), f"too few data tests ({summary})"
    assert n_unit >= MIN_UNIT_TESTS, f"too few unit tests ({summary})"


def test_every_built_column_is_documented(engine: Engine, built: DbtRun) -> None:
    """Each column of each built model is declared in YAML (where its description lives)."""
    nodes = [
        node for node in _models(built) if not _is_ephemeral(node) and node.get("relation_name")
    ]
    results = engine.warehouse.query_many(
        [f"select * from {node['relation_name']} limit 0" for node in nodes]
    )
    undocumented = []
    for node, (columns, _) in zip(nodes, results, strict=True):
        declared = {name.lower() for name in node["columns"]}
        undocumented += [f"{node['name']}.{c}" for c in columns if c.lower() not in declared]
    assert not undocumented, (
        f"{len(undocumented)} built columns are not declared in the models' YAML: "
        f"{undocumented[:30]}"
    )


def test_second_build_is_idempotent(engine: Engine, built: DbtRun) -> None:
    """Building again on the same database passes and leaves every relation's row count alone.
    The unit tests are left out: they read no stored row, and ran in the first build. Same vars
    as the first build, so dbt reuses its parse."""
    before = _row_counts(engine, built)
    again = engine.dbt(
        "build", "--exclude-resource-type", "unit_test", vars=build_vars(engine), check=False
    )
    assert again.ok, f"second dbt build failed on {engine.name}:\n{again.describe()}"
    assert {r["unique_id"] for r in again.results} == {
        r["unique_id"] for r in built.results if not r["unique_id"].startswith("unit_test.")
    }
    after = _row_counts(engine, again)
    changed = {uid: (before.get(uid), n) for uid, n in after.items() if before.get(uid) != n}
    assert not changed, f"row counts changed on rebuild (before, after): {changed}"


# -- documentation and keys, from the manifest ---------------------------------------------------


def test_every_model_and_column_has_a_description(manifest_run: DbtRun) -> None:
    missing = []
    for node in _models(manifest_run):
        if not node["description"].strip():
            missing.append(f"model {node['name']} ({node['original_file_path']})")
        missing += [
            f"column {node['name']}.{name}"
            for name, column in node["columns"].items()
            if not column["description"].strip()
        ]
    assert not missing, f"{len(missing)} descriptions are missing:\n" + "\n".join(missing)


def test_every_model_states_its_grain(manifest_run: DbtRun) -> None:
    """The style guide: a model's description says its grain ("One row per session ...")."""
    vague = [
        node["name"]
        for node in _models(manifest_run)
        if "one row per" not in node["description"].lower()
    ]
    assert not vague, f"descriptions without 'one row per ...': {vague}"


def test_every_model_has_a_primary_key_test(manifest_run: DbtRun) -> None:
    keyed = set()
    for test in manifest_run.nodes("test"):
        metadata = test.get("test_metadata") or {}
        name = metadata.get("name") or test["name"]
        attached = test.get("attached_node")
        if attached and PRIMARY_KEY_TEST.search(name):
            keyed.add(attached)
    unkeyed = [node["name"] for node in _models(manifest_run) if node["unique_id"] not in keyed]
    assert not unkeyed, (
        f"models without a unique / primary-key test: {unkeyed}. Add `unique` (with "
        "`not_null`) on the key column, or a combination-of-columns test for a compound key."
    )


def test_relation_names_fit_postgres(manifest_run: DbtRun) -> None:
    """Every relation a build creates (models, seeds, snapshots, and each unit test's temporary
    relation, named after the test) fits PostgreSQL's 63-byte identifiers."""
    manifest = manifest_run.manifest
    names = {
        node.get("alias") or node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed", "snapshot")
    } | {test["name"] for test in manifest.get("unit_tests", {}).values()}
    too_long = sorted(name for name in names if len(name.encode()) > MAX_RELATION_NAME)
    assert not too_long, f"names longer than {MAX_RELATION_NAME} bytes: {too_long}"
