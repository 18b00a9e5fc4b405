"""Random malformed raw tables, for the fuzz test (pytests/test_fuzz_raw.py).

For every raw table of the contract (:data:`growthkit.gen_contract.RAW_TABLES`), a table whose
columns are each stored in a type chosen at random among those the project accepts for the
column's meaning (a time as text, timestamp or date; a number as text, double, numeric or
integer; text as anything), filled with rows that mix plausible values (a small pool of ids,
times in June 2024, so that rows join, repeat and reach the marts) with hostile ones: random
and unicode text (right-to-left, zero-width and bidi controls, emoji; never NUL), blanks and
whitespace, extreme numbers (1e308, -0, NaN, ±Infinity, 99999999999999999999999), extreme and
impossible dates (0001-01-01, 9999-12-31, 2024-02-30, 'yesterday', epoch numbers).

Everything is drawn from one seeded :class:`random.Random`, so a seed gives the same tables.

One thing is kept apart on purpose: a Segment message id (``id``) is stored as text and
prefixed (``page:`` in pages, ``call:`` elsewhere), since the project assumes, as Segment
guarantees, that a track and a page call never share a message id (one that does makes
``event_id`` repeat in int_events_keyed and fct_events: found by this fuzz, a known limit).
Blank and null ids stay.

    tables = fuzz_tables(seed=7, rows=2000)
    schemas = {"segment": "fuzz_segment", "shop": "fuzz_shop", "marketing": "fuzz_marketing"}
    load_fuzz_tables(tables, "duckdb", {"GROWTH_DUCKDB_PATH": "/tmp/f.duckdb"}, schemas)
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from growthkit.gen_contract import (
    BOOLEAN,
    DATE,
    MONEY,
    NUMBER,
    RAW_TABLES,
    TIMESTAMP,
    RawTable,
)

__all__ = ["STORAGES", "FuzzTable", "fuzz_tables", "load_fuzz_tables"]

#: How a column may be stored, per meaning: the types the raw-table contract accepts.
STORAGES: Final[dict[str, tuple[str, ...]]] = {
    "text": ("text", "text", "integer", "double", "boolean", "timestamp"),
    TIMESTAMP: ("text", "text", "timestamp", "date"),
    DATE: ("text", "date", "timestamp"),
    "number": ("text", "double", "numeric", "integer"),
    BOOLEAN: ("boolean", "text"),
}

#: SQL type of each storage, per engine.
SQL_TYPES: Final[dict[str, dict[str, str]]] = {
    "duckdb": {"text": "varchar", "integer": "bigint", "double": "double",
               "numeric": "decimal(38, 10)", "boolean": "boolean", "timestamp": "timestamp",
               "date": "date"},
    "postgres": {"text": "text", "integer": "bigint", "double": "double precision",
                 "numeric": "numeric(38, 10)", "boolean": "boolean",
                 "timestamp": "timestamp with time zone", "date": "date"},
}  # fmt: skip

_HOSTILE_TEXT: Final = (
    "",
    " ",
    "   ",
    "\t",
    " padded ",
    "null",
    "NULL",
    "undefined",
    "مرحبا بالعالم",
    "שלום",
    "\u202eevil\u202c",
    "a\u200bb",
    "\u200b",
    "\ufeffbom",
    "🚀🔥",
    "👩‍👩‍👧",
    "Café Visited",
    "Cafü Visited",
    "e\u0301",
    "x" * 1000,
    "'; drop table tracks; --",
    '"quoted"',
    "back\\slash",
    "%",
    "%zz%2",
    "line\nbreak",
    "https://shop.example/?utm_source=a%20b&utm_medium=&email=x@y.example",
    "https://",
    "://nohost",
    "gina@growthco.example",
    "Gina <gina@growthco.example>",
    "1e308",
    "NaN",
    "-Infinity",
    "-0",
    "99999999999999999999999",
    "1,000.5",
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "yesterday",
    "epoch",
    "1717408800",
    "2024-06-03T10:00:00Z",
    "2024-06-03 10:00:00+14:00",
    "2024-06-03T25:61:00",
)
_HOSTILE_TIMES: Final = (
    datetime(1, 1, 1),
    datetime(9999, 12, 31, 23, 59, 59),
    datetime(1970, 1, 1),
    datetime(1999, 12, 31, 23, 59, 59),
    datetime(2100, 1, 1),
    datetime(2024, 2, 29, 12),
)
_HOSTILE_DOUBLES: Final = (
    1e308,
    -1e308,
    -0.0,
    math.nan,
    math.inf,
    -math.inf,
    5e-324,
    1e22,
    -1.0,
    0.1,
    123456789.123456789,
)
_HOSTILE_DECIMALS: Final = (
    Decimal("9999999999999999999999999999.9999999999"),
    Decimal("-1"),
    Decimal("0"),
    Decimal("0.0000000001"),
    Decimal("-0.0000005"),
    Decimal("12345678901234567890123.5"),
)
_HOSTILE_INTEGERS: Final = (9223372036854775807, -9223372036854775808, 0, -1, 1717408800)

_START: Final = datetime(2024, 6, 1)


@dataclass(frozen=True)
class FuzzTable:
    """One raw table to create: its contract entry, each column's storage, and its rows."""

    table: RawTable
    storages: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def sql_types(self, engine: str) -> list[str]:
        return [SQL_TYPES[engine][storage] for storage in self.storages]


def _meaning(kind: str) -> str:
    if kind in (MONEY, NUMBER):
        return "number"
    if kind in (TIMESTAMP, DATE, BOOLEAN):
        return kind
    return "text"


def _plausible_text(rng: random.Random, name: str) -> str:
    """A value a real row could hold, from small pools so that rows share ids and keys."""
    pools: dict[str, tuple[str, ...]] = {
        "id": tuple(f"m{i}" for i in range(40)),
        "anonymous_id": tuple(f"d{i}" for i in range(8)),
        "user_id": tuple(f"u{i}" for i in range(6)),
        "order_id": tuple(f"o{i}" for i in range(3000)),
        "event": ("signed_up", "report_created", "Order Completed", "project_created"),
        "status": ("completed", "cancelled", "refunded", " Completed"),
        "utm_source": ("google", "facebook", "newsletter"),
        "email": ("a@growthco.example", "b@example.com", "c@example.org"),
    }
    pool = pools.get(name) or pools["event" if name == "event_text" else "utm_source"]
    return rng.choice(pool)


def _value(rng: random.Random, name: str, meaning: str, storage: str) -> Any:
    """One value of column ``name`` stored as ``storage``: plausible half the time."""
    if rng.random() < 0.08:
        return None
    plausible = rng.random() < 0.5
    moment = _START + timedelta(seconds=rng.randint(0, 14 * 86400))
    if storage == "text":
        if plausible:
            if meaning in (TIMESTAMP, DATE):
                return moment.isoformat(sep=" " if rng.random() < 0.5 else "T") + "Z"
            if meaning == "number":
                return f"{rng.uniform(0, 500):.{rng.randint(0, 8)}f}"
            if meaning == BOOLEAN:
                return rng.choice(("true", "false", "TRUE"))
            return _plausible_text(rng, name)
        if rng.random() < 0.3:
            return "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 12)))
        return rng.choice(_HOSTILE_TEXT)
    if storage == "timestamp":
        return moment if plausible else rng.choice(_HOSTILE_TIMES)
    if storage == "date":
        return (moment if plausible else rng.choice(_HOSTILE_TIMES)).date()
    if storage == "double":
        return round(rng.uniform(0, 500), 2) if plausible else rng.choice(_HOSTILE_DOUBLES)
    if storage == "numeric":
        if plausible:
            return Decimal(rng.randint(0, 50000)) / 100
        return rng.choice(_HOSTILE_DECIMALS)
    if storage == "integer":
        return rng.randint(0, 500) if plausible else rng.choice(_HOSTILE_INTEGERS)
    if storage == "boolean":
        return rng.random() < 0.5
    raise ValueError(f"unknown storage {storage!r}")


def fuzz_tables(seed: int, rows: int, tables: tuple[RawTable, ...] = RAW_TABLES) -> list[FuzzTable]:
    """``rows`` random rows for each of ``tables``, with storages drawn per column; a fifth of
    the rows are exact copies of earlier ones (at-least-once delivery)."""
    rng = random.Random(seed)
    # storages from a generator of their own, so that a seed stores its columns the same way
    # whatever the number of rows
    layout = random.Random(seed * 7919 + 1)
    out = []
    for table in tables:
        meanings = [_meaning(kind) for _, kind in table.columns]
        storages = tuple(
            "text" if table.schema == "segment" and name == "id" else layout.choice(STORAGES[m])
            for (name, _), m in zip(table.columns, meanings, strict=True)
        )
        table_rows: list[tuple[Any, ...]] = []
        for _ in range(rows):
            if table_rows and rng.random() < 0.2:
                table_rows.append(rng.choice(table_rows))
                continue
            row = [
                _value(rng, name, meaning, storage)
                for (name, _), meaning, storage in zip(
                    table.columns, meanings, storages, strict=True
                )
            ]
            if table.schema == "segment" and isinstance(row[0], str) and row[0].strip(" "):
                row[0] = f"{'page' if table.name == 'pages' else 'call'}:{row[0]}"
            table_rows.append(tuple(row))
        out.append(FuzzTable(table, storages, table_rows))
    return out


def _duckdb_load(tables: list[FuzzTable], schemas: Mapping[str, str], path: str) -> None:
    import duckdb
    import pyarrow as pa

    arrow_types: dict[str, Callable[[], pa.DataType]] = {
        "text": pa.string,
        "integer": pa.int64,
        "double": pa.float64,
        "numeric": lambda: pa.decimal128(38, 10),
        "boolean": pa.bool_,
        "timestamp": lambda: pa.timestamp("us"),
        "date": pa.date32,
    }
    with duckdb.connect(path) as conn:
        for fuzz in tables:
            schema = schemas[fuzz.table.schema]
            conn.execute(f"create schema if not exists {schema}")
            columns = list(zip(*fuzz.rows, strict=True)) if fuzz.rows else [()] * len(fuzz.storages)
            arrays = [
                pa.array(list(values), type=arrow_types[storage]())
                for values, storage in zip(columns, fuzz.storages, strict=True)
            ]
            data = pa.Table.from_arrays(arrays, names=list(fuzz.table.column_names))
            conn.register("fuzz_rows", data)
            definition = ", ".join(
                f'"{name}" {sql}'
                for name, sql in zip(fuzz.table.column_names, fuzz.sql_types("duckdb"), strict=True)
            )
            relation = f"{schema}.{fuzz.table.name}"
            conn.execute(f"drop table if exists {relation}")
            conn.execute(f"create table {relation} ({definition})")
            conn.execute(f"insert into {relation} select * from fuzz_rows")
            conn.unregister("fuzz_rows")


def _postgres_load(
    tables: list[FuzzTable], schemas: Mapping[str, str], env: Mapping[str, str]
) -> None:
    import psycopg2
    from psycopg2.extras import execute_values

    keys = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD",
            "dbname": "PGDATABASE"}  # fmt: skip
    params = {key: env[var] for key, var in keys.items() if env.get(var)}
    conn = psycopg2.connect(**params, options="-c TimeZone=UTC")
    try:
        with conn.cursor() as cursor:
            for fuzz in tables:
                schema = schemas[fuzz.table.schema]
                cursor.execute(f"create schema if not exists {schema}")
                relation = f"{schema}.{fuzz.table.name}"
                definition = ", ".join(
                    f'"{name}" {sql}'
                    for name, sql in zip(
                        fuzz.table.column_names, fuzz.sql_types("postgres"), strict=True
                    )
                )
                cursor.execute(f"drop table if exists {relation}")
                cursor.execute(f"create table {relation} ({definition})")
                execute_values(
                    cursor, f"insert into {relation} values %s", fuzz.rows, page_size=500
                )
        conn.commit()
    finally:
        conn.close()


def load_fuzz_tables(
    tables: list[FuzzTable], engine: str, env: Mapping[str, str], schemas: Mapping[str, str]
) -> None:
    """Create the tables (replacing any of the same name) in ``schemas`` ({contract schema:
    schema to write}), on ``engine`` (duckdb: env GROWTH_DUCKDB_PATH; postgres: env PG*)."""
    if engine == "duckdb":
        _duckdb_load(tables, schemas, env["GROWTH_DUCKDB_PATH"])
    elif engine == "postgres":
        _postgres_load(tables, schemas, env)
    else:
        raise ValueError(f"unknown engine {engine!r}")
