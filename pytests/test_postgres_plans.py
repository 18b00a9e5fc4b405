"""PostgreSQL plans each model on statistics, not on guesses.

PostgreSQL gathers the statistics of a new table only when autovacuum gets to it, usually after
the build has moved on to the models that read it; planned on guesses, one model of 2.7 s took
436 s at 160k events. Every table, incremental model and seed therefore runs ANALYZE as its
post-hook (macro analyze_relation): after the shared build, each one the build wrote has a
manual analyse on record. (Autovacuum's own runs are recorded apart, in last_autoanalyze.)
"""

from __future__ import annotations

import pytest

from growthkit.dbt_runner import DbtRun, Engine


@pytest.mark.engines("postgres")
def test_every_table_the_build_writes_is_analysed(engine: Engine, built: DbtRun) -> None:
    built_ids = {result["unique_id"] for result in built.results if result["status"] == "success"}
    written = [
        node
        for kind in ("model", "seed")
        for node in built.nodes(kind)
        if node["unique_id"] in built_ids
        and (kind == "seed" or node["config"]["materialized"] in ("table", "incremental"))
    ]
    assert len(written) > 40, f"expected the shared build to write the tables, found {written}"
    analysed = {
        (schema, name)
        for schema, name in engine.warehouse.query(
            "select schemaname, relname from pg_stat_user_tables where last_analyze is not null"
        )
    }
    missing = sorted(
        f"{node['schema']}.{node['alias']}"
        for node in written
        if (node["schema"], node["alias"]) not in analysed
    )
    assert not missing, f"{len(missing)} tables were never analysed: {missing}"
