"""BI reads the marts only: each layer has its own schema, and var('bi_roles') is granted the
marts schema and its tables, nothing else.

The layout (each layer in its own schema, the grants config on the marts alone) is checked on
both engines. On PostgreSQL the shared build ran with ``bi_roles: [BI_ROLE]``; connected as that
role, every mart can be read and every other relation (staging, intermediate, audit, config
seeds, expected seeds, raw fixture schemas) is denied. DuckDB has no roles, so that test runs
on PostgreSQL only (marker ``engines``).
"""

from __future__ import annotations

from collections import defaultdict

import psycopg2
import pytest
from conftest import BI_ROLE, TEST_SCHEMA

from growthkit.dbt_runner import DbtRun, Engine, Warehouse

#: Folder of a model (under models/) -> the schema suffix its layer is built in; the first
#: folder that holds the model wins.
LAYER_SCHEMAS = {
    "staging/audit": "audit",
    "staging": "staging",
    "intermediate": "intermediate",
    "marts": "marts",
}


def _schema_of_layer(path: str) -> str:
    for folder, suffix in LAYER_SCHEMAS.items():
        if path.startswith(f"models/{folder}/"):
            return f"{TEST_SCHEMA}_{suffix}"
    raise AssertionError(f"{path} is in no known layer: add its folder to LAYER_SCHEMAS")


def _relations(warehouse: Warehouse) -> dict[str, list[str]]:
    """Every table and view of the database outside the system schemas, by schema."""
    rows = warehouse.query(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema not in ('information_schema', 'pg_catalog')"
    )
    by_schema: dict[str, list[str]] = defaultdict(list)
    for schema, name in rows:
        by_schema[schema].append(name)
    return by_schema


def test_each_layer_has_its_own_schema(engine: Engine, built: DbtRun) -> None:
    models = list(built.nodes("model"))
    wrong = [
        f"{node['original_file_path']} is in {node['schema']}"
        for node in models
        if node["schema"] != _schema_of_layer(node["original_file_path"])
    ]
    assert not wrong, wrong
    built_schemas = _relations(engine.warehouse)
    marts = {node["name"] for node in models if node["schema"] == f"{TEST_SCHEMA}_marts"}
    assert set(built_schemas[f"{TEST_SCHEMA}_marts"]) == marts, "the marts schema holds marts only"
    assert {"fct_events", "dim_users", "agg_attribution_by_channel"} <= marts
    granted = {node["name"] for node in models if node["config"].get("grants", {}).get("select")}
    assert granted == marts, "exactly the marts are granted to the BI roles"


@pytest.mark.engines("postgres")
def test_bi_role_reads_marts_and_nothing_else(engine: Engine, built: DbtRun) -> None:
    by_schema = _relations(engine.warehouse)
    marts_schema = f"{TEST_SCHEMA}_marts"
    others = {schema: names for schema, names in by_schema.items() if schema != marts_schema}
    assert {f"{TEST_SCHEMA}_{s}" for s in ("staging", "intermediate", "audit", "config")} <= set(
        others
    ), sorted(others)
    assert any(schema.startswith(f"{TEST_SCHEMA}_raw_") for schema in others), sorted(others)

    bi = Warehouse("postgres", {**engine.env, "PGUSER": BI_ROLE})
    assert bi.scalar("select current_user") == BI_ROLE
    assert len(by_schema[marts_schema]) >= 20
    for name in by_schema[marts_schema]:
        bi.query(f'select count(*) from "{marts_schema}"."{name}"')
    readable = []
    for schema, names in others.items():
        for name in names:
            try:
                bi.query(f'select 1 from "{schema}"."{name}" limit 1')
            except psycopg2.errors.InsufficientPrivilege:
                continue
            readable.append(f"{schema}.{name}")
    assert not readable, f"{BI_ROLE} can read relations outside the marts: {readable}"
