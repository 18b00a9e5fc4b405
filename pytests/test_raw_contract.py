"""The raw-table contract: the project reads whatever columns a real warehouse's raw tables
have, on each engine.

Raw tables are created here by hand, in a database of their own: with only the required
columns (every optional one missing: the build passes, with nulls where the columns would
be), without a required column, with a time stored as an integer, and a build pointed at
another raw schema than the one it was built from. Each bad case stops the build with one
message that names the table, the column, what was found and what is expected.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from conftest import DATA_BUILD, own_database

from growthkit.dbt_runner import PROJECT_ROOT, DbtRun, Engine
from growthkit.gen_contract import RAW_TABLES

#: Logical column types of the tables below, per engine.
TYPES = {
    "duckdb": {"text": "varchar", "ts": "timestamp", "money": "decimal(12,2)", "date": "date",
               "bigint": "bigint"},
    "postgres": {"text": "text", "ts": "timestamp with time zone", "money": "numeric(12,2)",
                 "date": "date", "bigint": "bigint"},
}  # fmt: skip

#: Every raw table with only its required columns (and one of each "one of" group), and rows.
MINIMAL: dict[str, tuple[list[tuple[str, str]], list[tuple[Any, ...]]]] = {
    "segment.tracks": (
        [("id", "text"), ("anonymous_id", "text"), ("event", "text"), ("received_at", "ts")],
        [
            ("t1", "d1", "report_created", "2024-06-03 10:00:00"),
            ("t2", "d1", "signed_up", "2024-06-03 10:05:00"),
        ],
    ),
    "segment.pages": (
        [("id", "text"), ("user_id", "text"), ("received_at", "ts")],
        [("p1", "u1", "2024-06-03 11:00:00")],
    ),
    "segment.identifies": (
        [("id", "text"), ("user_id", "text"), ("received_at", "ts")],
        [("i1", "u1", "2024-06-03 10:59:00")],
    ),
    "segment.groups": (
        [("id", "text"), ("user_id", "text"), ("group_id", "text"), ("received_at", "ts")],
        [("g1", "u1", "acme", "2024-06-03 11:01:00")],
    ),
    "segment.experiment_viewed": (
        [
            ("id", "text"),
            ("anonymous_id", "text"),
            ("experiment_id", "text"),
            ("variation_id", "text"),
            ("received_at", "ts"),
        ],
        [("e1", "d1", "pricing_test", "control", "2024-06-03 10:01:00")],
    ),
    "shop.orders": (
        [
            ("order_id", "text"),
            ("user_id", "text"),
            ("created_at", "ts"),
            ("status", "text"),
            ("revenue", "money"),
        ],
        [("o1", "u1", "2024-06-03 12:00:00", "completed", "10.00")],
    ),
    "marketing.ad_spend": (
        [("date", "date"), ("utm_source", "text"), ("spend", "money")],
        [("2024-06-03", "google", "5.00")],
    ),
}


#: The raw tables the base models stage (the per-event tables beyond experiment_viewed are
#: read by another model).
STAGED_RAW_TABLES = tuple(MINIMAL)


def _create(engine: Engine, schema: str, table: str, columns: list[tuple[str, str]],
            rows: list[tuple[Any, ...]]) -> None:  # fmt: skip
    types = TYPES[engine.name]
    warehouse = engine.warehouse
    warehouse.execute(f"create schema if not exists {schema}")
    definition = ", ".join(f'"{name}" {types[kind]}' for name, kind in columns)
    warehouse.execute(f"create table {schema}.{table} ({definition})")
    for row in rows:
        values = ", ".join(
            "null" if value is None else f"cast('{value}' as {types[kind]})"
            for value, (_, kind) in zip(row, columns, strict=True)
        )
        warehouse.execute(f"insert into {schema}.{table} values ({values})")


def _create_minimal(engine: Engine, prefix: str) -> dict[str, str]:
    """The minimal raw tables in schemas <prefix>_segment, _shop, _marketing; the vars."""
    for key, (columns, rows) in MINIMAL.items():
        source, table = key.split(".")
        _create(engine, f"{prefix}_{source}", table, columns, rows)
    return {f"{source}_schema": f"{prefix}_{source}" for source in ("segment", "shop", "marketing")}


#: The raw schema, other than the minimal build's, of the tests below: each empties it, then
#: creates the one table it reads. One schema, so one set of vars for all their runs, and dbt's
#: saved parse fits them all (other vars: a full parse). The bad tables are read with a full
#: refresh (an incremental run would stop first: another raw table than the one it was built
#: from).
OTHER_SCHEMA = "other_segment"
OTHER_VARS = {"segment_schema": OTHER_SCHEMA}


def _empty_other_schema(engine: Engine) -> None:
    engine.warehouse.execute(f"drop schema if exists {OTHER_SCHEMA} cascade")


def _error_of(run: DbtRun) -> str:
    """The run's output on one line (dbt wraps and indents long messages)."""
    assert not run.ok, "the build passed, but should have stopped"
    return " ".join(run.output.split())


@pytest.fixture(scope="module")
def minimal(engine: Engine) -> tuple[Engine, DbtRun]:
    """The whole project built and tested on raw tables that have only the required columns."""
    database = own_database(engine, "raw_contract")
    variables = _create_minimal(database, "minimal")
    run = database.dbt(*DATA_BUILD, vars=variables, check=False)
    return database, run


def test_missing_optional_columns_build_with_nulls(minimal: tuple[Engine, DbtRun]) -> None:
    database, run = minimal
    assert run.ok, run.describe()
    tracks = database.warehouse.query(
        "select event_id, anonymous_id, user_id, event_name, page_url, utm_term, user_agent, "
        "is_bot, event_at_source, cast(event_at as varchar) "
        f"from {run.relation('stg_segment__tracks')} order by event_id"
    )
    # no user_id, context, campaign or timestamp columns: nulls, and the time is received_at
    assert tracks == [
        ("t1", "d1", None, "report_created", None, None, None, False, "received_at",
         "2024-06-03 10:00:00"),
        ("t2", "d1", None, "signed_up", None, None, None, False, "received_at",
         "2024-06-03 10:05:00"),
    ]  # fmt: skip
    pages = database.warehouse.query(
        "select event_id, anonymous_id, user_id, page_path, utm_source "
        f"from {run.relation('stg_segment__pages')}"
    )
    assert pages == [("p1", None, "u1", None, None)]
    identifies = database.warehouse.query(
        f"select identify_id, email_hash, region, heard_about "
        f"from {run.relation('stg_segment__identifies')}"
    )
    assert identifies == [("i1", None, None, None)]
    orders = database.warehouse.query(
        f"select order_id, region from {run.relation('stg_shop__orders')}"
    )
    assert orders == [("o1", None)]
    # every raw row staged: nothing lost for want of a column
    accounting = database.warehouse.query(
        "select source_table, raw_rows, staged_rows "
        f"from {run.relation('stg_audit__row_accounting')} order by source_table"
    )
    assert accounting == sorted((key, len(rows), len(rows)) for key, (_, rows) in MINIMAL.items())


#: A raw table the build must refuse: (table, columns, rows, what the message says).
BAD_TABLES = {
    "missing required column": (
        "tracks",
        [("id", "text"), ("anonymous_id", "text"), ("event", "text")],
        [("t1", "d1", "signed_up")],
        [
            "Raw table segment.tracks",
            "has no column received_at, which is required (timestamp). "
            "Columns found: anonymous_id, event, id.",
        ],
    ),
    "no identity column": (
        "pages",
        [("id", "text"), ("received_at", "ts")],
        [],
        ["has none of the columns anonymous_id, user_id (identity); at least one is required"],
    ),
    # an epoch number in received_at is refused (read as null, every row would be lost)
    "integer time": (
        "tracks",
        [("id", "text"), ("anonymous_id", "text"), ("event", "text"), ("received_at", "bigint")],
        [("t1", "d1", "signed_up", "1717408800")],
        [
            "Raw column segment.tracks.received_at in",
            "is bigint; it holds a timestamp, so it must be a timestamp, a date or ISO 8601 "
            "text (epoch numbers are not accepted)",
        ],
    ),
}


@pytest.mark.parametrize("case", BAD_TABLES)
def test_bad_raw_table_stops_the_build(minimal: tuple[Engine, DbtRun], case: str) -> None:
    database, _ = minimal
    table, columns, rows, messages = BAD_TABLES[case]
    _empty_other_schema(database)
    _create(database, OTHER_SCHEMA, table, columns, rows)
    run = database.dbt(
        "run", "--full-refresh", "--select", f"base_segment__{table}", vars=OTHER_VARS,
        check=False,
    )  # fmt: skip
    error = _error_of(run)
    assert all(message in error for message in messages), run.output[-3000:]


def test_another_raw_schema_needs_a_full_refresh(minimal: tuple[Engine, DbtRun]) -> None:
    """An incremental base model pointed at another raw table stops, instead of reading only
    what the other table received after the old table's cutoff; a full refresh rebuilds it."""
    database, built = minimal
    columns, rows = MINIMAL["segment.groups"]
    _empty_other_schema(database)
    _create(database, OTHER_SCHEMA, "groups", columns, [*rows, ("g2", "u2", "initech",
            "2024-06-01 09:00:00")])  # fmt: skip
    other = OTHER_VARS
    run = database.dbt("run", "--select", "base_segment__groups", vars=other, check=False)
    assert (
        "base_segment__groups was built from the raw table minimal_segment.groups and now reads "
        "other_segment.groups"
        in _error_of(run)
        and "dbt build --full-refresh" in _error_of(run)
    ), run.output[-3000:]
    database.dbt("run", "--select", "base_segment__groups", "--full-refresh", vars=other)
    staged = database.warehouse.query(
        f"select group_call_id from {built.relation('base_segment__groups')} order by 1"
    )
    assert staged == [("g1",), ("g2",)]
    # and incremental runs on the new table go on
    database.dbt("run", "--select", "base_segment__groups", vars=other)


def _contract_rows() -> list[str]:
    """The README table's rows, written from the sources YAML (the contract itself)."""
    rows = []
    for path in sorted(PROJECT_ROOT.glob("models/staging/*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                required, groups, optional = [], {}, []
                for column in table["columns"]:
                    kind = column.get("data_type", "text")
                    name = f"`{column['name']}`" + (f" ({kind})" if kind != "text" else "")
                    meta = (column.get("config") or {}).get("meta", {})
                    requirement = meta.get("requirement", "optional")
                    if requirement == "required":
                        required.append(name)
                    elif requirement.startswith("one of "):
                        groups.setdefault(requirement, []).append(name)
                    else:
                        optional.append(name)
                one_of = "; ".join(" or ".join(names) for names in groups.values())
                rows.append(
                    f"| `{source['name']}.{table['name']}` | {', '.join(required)} | {one_of} "
                    f"| {', '.join(optional)} |"
                )
    return rows


def test_readme_lists_the_contract() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text().splitlines()
    rows = _contract_rows()
    assert len(rows) == len(STAGED_RAW_TABLES)
    assert sorted(line for line in readme if line in rows) == sorted(rows)


def test_contract_covers_every_generated_column() -> None:
    """Every column the generator writes to a staged raw table is in the contract, so that
    generated data is read whole."""
    documented = {}
    for path in PROJECT_ROOT.glob("models/staging/*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                documented[f"{source['name']}.{table['name']}"] = [
                    column["name"] for column in table["columns"]
                ]
    for table in RAW_TABLES:
        if table.key in STAGED_RAW_TABLES:
            assert documented[table.key] == list(table.column_names), table.key
