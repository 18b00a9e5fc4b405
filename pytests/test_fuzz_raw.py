"""Fuzz: random malformed raw tables never break the build, and every raw row is accounted for.

Every raw table the project reads (the Segment calls, the per-event tables of
var('segment_event_tables'), shop orders, marketing spend) is created in a database of its own
with each column stored in a type drawn at random among those the raw-table contract accepts,
and filled with thousands of rows that mix plausible values with hostile ones (see
growthkit.fuzz). On each engine, ``dbt build`` must pass (no crash, every data test green) and
the row accounting must be exact for every staged table: raw = staged + duplicate +
quarantined, with the raw count checked against the rows written here.
"""

from __future__ import annotations

import pytest
from conftest import DATA_BUILD, own_database

from growthkit.dbt_runner import DbtRun, Engine
from growthkit.fuzz import FuzzTable, fuzz_tables, load_fuzz_tables

#: The seed and table size: the same tables on every run; thousands of rows per table, small
#: enough for a CI machine of 2 cores.
SEED = 617
ROWS = 2000
SCHEMAS = {"segment": "fuzz_segment", "shop": "fuzz_shop", "marketing": "fuzz_marketing"}
VARS = {f"{source}_schema": schema for source, schema in SCHEMAS.items()}


@pytest.fixture(scope="module")
def fuzzed(engine: Engine) -> tuple[Engine, list[FuzzTable], DbtRun]:
    database = own_database(engine, "fuzz_raw")
    tables = fuzz_tables(SEED, ROWS)
    load_fuzz_tables(tables, engine.name, database.env, SCHEMAS)
    run = database.dbt(*DATA_BUILD, vars=VARS, check=False)
    return database, tables, run


def test_fuzzed_tables_are_hostile(fuzzed: tuple[Engine, list[FuzzTable], DbtRun]) -> None:
    """Guard: the tables hold what the fuzz is meant to throw at the project."""
    _, tables, _ = fuzzed
    storages = {storage for table in tables for storage in table.storages}
    assert storages >= {"text", "integer", "double", "numeric", "timestamp", "date"}, storages
    values = [value for table in tables for row in table.rows for value in row]
    assert any(isinstance(v, float) and v != v for v in values)  # NaN
    assert any(isinstance(v, str) and "\u202e" in v for v in values)
    assert any(isinstance(v, str) and v.strip() == "" for v in values)
    assert all(len(table.rows) == ROWS for table in tables)


def test_build_passes_on_fuzzed_raw_tables(fuzzed: tuple[Engine, list[FuzzTable], DbtRun]) -> None:
    _, _, run = fuzzed
    assert run.ok, run.describe()


def test_row_accounting_is_exact(fuzzed: tuple[Engine, list[FuzzTable], DbtRun]) -> None:
    database, tables, run = fuzzed
    assert run.ok, run.describe()
    accounting = database.warehouse.query(
        "select source_table, raw_rows, staged_rows + duplicate_rows + quarantined_rows, "
        f"unaccounted_rows from {run.relation('stg_audit__row_accounting')} order by 1"
    )
    written = {table.table.key: len(table.rows) for table in tables}
    assert accounting, "no row accounting"
    for source_table, raw, accounted, unaccounted in accounting:
        assert (raw, accounted, unaccounted) == (written[source_table], raw, 0), source_table
    # rows of every kind: some staged, some quarantined, in every table
    staged = dict(
        database.warehouse.query(
            f"select source_table, staged_rows from {run.relation('stg_audit__row_accounting')}"
        )
    )
    assert [table for table, count in staged.items() if count == 0] == [], staged
