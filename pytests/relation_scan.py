"""Scan the text columns of every relation of a warehouse for values that must not be there.

A privacy test looks for raw emails, names and IP addresses in everything dbt built; a deletion
test could look for the ids of a deleted person. Both ask the same question of the same
relations, so the scan is written once here:

    hits = scan_text_columns(warehouse, find, skip_schema=is_raw_schema)
    assert not hits, describe_hits(hits)

``find`` receives each distinct text value and returns the needles it contains (an empty
iterable when clean); ``contains_any`` builds one for literal needles. Relations are found in
``information_schema`` (tables and views of the current database, every schema but the system
ones and those ``skip_schema`` rejects), so the scan follows models into whatever schema they
are built in. One query per relation: the distinct values of all its text columns at once (all
the queries on one connection).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from growthkit.dbt_runner import Warehouse

__all__ = ["Hit", "contains_any", "describe_hits", "scan_text_columns", "text_columns"]

#: information_schema data types that hold text (DuckDB and PostgreSQL spellings).
TEXT_TYPES = frozenset({"text", "varchar", "character varying", "character", "bpchar", "string"})
SYSTEM_SCHEMAS = frozenset({"information_schema", "pg_catalog", "pg_toast"})


@dataclass(frozen=True)
class Hit:
    """A needle found in a value of a column."""

    schema: str
    relation: str
    column: str
    value: str
    needle: str


def text_columns(
    warehouse: Warehouse, skip_schema: Callable[[str], bool]
) -> dict[tuple[str, str], list[str]]:
    """The text columns of every table and view of the current database, by (schema,
    relation), leaving out system schemas and those ``skip_schema`` returns true for."""
    rows = warehouse.query(
        """select table_schema, table_name, column_name, lower(data_type)
           from information_schema.columns
           where table_catalog = current_database()
           order by table_schema, table_name, ordinal_position"""
    )
    out: dict[tuple[str, str], list[str]] = {}
    for schema, relation, column, data_type in rows:
        if schema in SYSTEM_SCHEMAS or schema.startswith("pg_") or skip_schema(schema):
            continue
        if data_type in TEXT_TYPES or data_type.startswith(("varchar", "character varying")):
            out.setdefault((schema, relation), []).append(column)
    return out


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def scan_text_columns(
    warehouse: Warehouse,
    find: Callable[[str], Iterable[str]],
    skip_schema: Callable[[str], bool],
) -> list[Hit]:
    """Every (relation, column, value, needle) where ``find(value)`` returns a needle, over
    the distinct non-null values of every text column of every relation not skipped."""
    relations = sorted(text_columns(warehouse, skip_schema).items())
    queries = []
    for (schema, relation), columns in relations:
        table = f"{_quoted(schema)}.{_quoted(relation)}"
        queries.append(
            "\nunion all\n".join(
                f"select distinct '{column.replace(chr(39), chr(39) * 2)}' as column_name, "
                f"cast({_quoted(column)} as varchar) as value from {table} "
                f"where {_quoted(column)} is not null"
                for column in columns
            )
        )
    hits: list[Hit] = []
    # one connection for all the queries: opening one costs more than a query on small data
    for ((schema, relation), _), (_, rows) in zip(
        relations, warehouse.query_many(queries), strict=True
    ):
        for column, value in rows:
            hits.extend(Hit(schema, relation, column, value, needle) for needle in find(value))
    return hits


def contains_any(
    needles: Iterable[str], case_sensitive: bool = False
) -> Callable[[str], list[str]]:
    """A ``find`` that reports each of ``needles`` contained in a value (as a substring)."""
    fold = (lambda text: text) if case_sensitive else str.lower
    wanted = sorted({fold(needle) for needle in needles if needle})

    def find(value: str) -> list[str]:
        text = fold(value)
        return [needle for needle in wanted if needle in text]

    return find


def describe_hits(hits: list[Hit], limit: int = 25) -> str:
    """A failure message: how many hits, in which relations, and the first ``limit``."""
    relations = sorted({f"{hit.schema}.{hit.relation}.{hit.column}" for hit in hits})
    shown = "\n".join(
        f"  {hit.schema}.{hit.relation}.{hit.column}: {hit.needle!r} in {hit.value[:200]!r}"
        for hit in hits[:limit]
    )
    return (
        f"{len(hits)} values found in {len(relations)} columns ({', '.join(relations)}):\n{shown}"
    )
