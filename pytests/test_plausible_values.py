"""Bad numbers, dates and times in the raw tables: quarantined with a reason of their own, the
same on each engine, never a failed build.

Raw tables are created here by hand, in a database of their own, with the number columns
stored as text, double, numeric or integer (each raw type in turn, the tables replaced), so that
each parsing route meets values that type can hold: 'abc', NaN, ±Infinity, 1e308, -0, values
too large for numeric(28,6), more than 6 decimals. The expected reason or value of every row is
written by hand, once for both engines.

The incremental stall: one Segment call received in 2100 used to move the incremental cutoff
past every later load (even after a --full-refresh, which staged the call again).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from conftest import data_selection, own_database

from growthkit.dbt_runner import DbtRun, Engine

#: SQL type of each raw storage, per engine.
RAW_TYPES = {
    "duckdb": {"text": "varchar", "double": "double", "numeric": "decimal(38, 10)",
               "integer": "bigint", "date": "date", "ts": "timestamp"},
    "postgres": {"text": "text", "double": "double precision", "numeric": "numeric(38, 10)",
                 "integer": "bigint", "date": "date", "ts": "timestamp with time zone"},
}  # fmt: skip

#: Per raw type of the number column: (id, raw value as text or None, expected). A Decimal is
#: the staged value; a string the quarantine reason (the value null); a pair, the value kept
#: beside the reason (a negative number).
Expected = Decimal | str | tuple[Decimal, str]
NUMBER_CASES: dict[str, list[tuple[str, str | None, Expected]]] = {
    "text": [
        ("plain", "42.50", Decimal("42.5")),
        ("padded", "  7 ", Decimal("7")),
        ("six_decimals_half_up", "1.1234565", Decimal("1.123457")),
        ("six_decimals_down", "1.1234564", Decimal("1.123456")),
        ("exponent", "1.5e3", Decimal("1500")),
        ("leading_point", ".5", Decimal("0.5")),
        ("negative_zero", "-0", Decimal("0")),
        ("tiny_negative_rounds_to_zero", "-0.0000004", Decimal("0")),
        ("largest", "9999999999999999999999.999999", Decimal("9999999999999999999999.999999")),
        ("too_large", "99999999999999999999999", "unparseable"),
        ("rounds_past_largest", "9999999999999999999999.9999996", "unparseable"),
        ("double_max", "1e308", "unparseable"),
        ("abc", "abc", "unparseable"),
        ("thousands_separator", "1,000", "unparseable"),
        ("underscore", "1_000", "unparseable"),
        ("hex", "0x10", "unparseable"),
        ("currency_sign", "$5", "unparseable"),
        ("long_mantissa_exponent", "1" + "0" * 30 + "e-20", "unparseable"),
        ("nan", "NaN", "non_finite"),
        ("nan_lower", "nan", "non_finite"),
        ("infinity", "Infinity", "non_finite"),
        ("minus_inf", "-inf", "non_finite"),
        ("blank", "", "missing"),
        ("spaces", "   ", "missing"),
        ("null", None, "missing"),
        ("negative", "-0.01", (Decimal("-0.01"), "negative")),
        ("negative_rounds_away", "-0.0000005", (Decimal("-0.000001"), "negative")),
    ],
    "double": [
        ("plain", "42.5", Decimal("42.5")),
        ("tenth", "0.1", Decimal("0.1")),
        ("large_fits", "1e21", Decimal("1000000000000000000000")),
        ("negative_zero", "-0.0", Decimal("0")),
        ("tiny", "1e-7", Decimal("0")),
        ("too_large", "1e22", "unparseable"),
        ("double_max", "1e308", "unparseable"),
        ("nan", "NaN", "non_finite"),
        ("infinity", "Infinity", "non_finite"),
        ("minus_infinity", "-Infinity", "non_finite"),
        ("null", None, "missing"),
        ("negative", "-2.5", (Decimal("-2.5"), "negative")),
    ],
    "numeric": [
        ("plain", "42.5", Decimal("42.5")),
        ("rounds_half_up", "0.0000005", Decimal("0.000001")),
        ("too_large", "12345678901234567890123.5", "unparseable"),
        ("null", None, "missing"),
        ("negative", "-1", (Decimal("-1"), "negative")),
    ],
    "integer": [
        ("plain", "42", Decimal("42")),
        ("zero", "0", Decimal("0")),
        ("bigint_max", "9223372036854775807", Decimal("9223372036854775807")),
        ("null", None, "missing"),
        ("negative", "-3", (Decimal("-3"), "negative")),
    ],
}

#: Order times (created_at stored as text) and their outcome: None is staged.
ORDER_TIME_CASES = [
    ("2024-03-01 10:00:00", None),
    ("yesterday", "no_usable_time"),
    ("2024-02-30 10:00:00", "no_usable_time"),
    ("1970-01-01 00:00:00", "time_before_floor"),
    ("0001-01-01 00:00:00", "time_before_floor"),
    ("2000-01-01 00:00:00", None),
    ("9999-12-31 23:59:59", "time_in_future"),
]

#: Spend dates stored as text, and their outcome: None is staged.
SPEND_DATE_CASES = [
    ("2024-03-01", None),
    ("yesterday", "unparseable_date"),
    ("2024-02-30", "unparseable_date"),
    ("03/01/2024", "unparseable_date"),
    ("", "missing_date"),
    ("1999-12-31", "time_before_floor"),
    ("2000-01-01", None),
    ("9999-12-31", "time_in_future"),
]


def _literal(value: str | None, sql_type: str) -> str:
    if value is None:
        return f"cast(null as {sql_type})"
    return "cast('{}' as {})".format(value.replace("'", "''"), sql_type)


def _create(engine: Engine, table: str, columns: dict[str, str], rows: list[list[str]]) -> None:
    """Create ``table`` (schema.name) with ``columns`` {name: sql type} and rows of SQL
    literals, replacing a table of that name."""
    warehouse = engine.warehouse
    warehouse.execute(f"create schema if not exists {table.split('.')[0]}")
    warehouse.execute(f"drop table if exists {table}")
    definition = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
    warehouse.execute(f"create table {table} ({definition})")
    if rows:
        values = ", ".join("(" + ", ".join(row) + ")" for row in rows)
        warehouse.execute(f"insert into {table} values {values}")


def _expected(expected: Expected, noun: str) -> tuple[Decimal | None, str | None]:
    if isinstance(expected, Decimal):
        return expected, None
    if isinstance(expected, tuple):
        return expected[0], f"{expected[1]}_{noun}"
    return None, f"{expected}_{noun}"


#: The raw schemas of the orders and spend tables that the tests below write, each test its own
#: tables in them in turn (the base models read are tables, rebuilt whole by each run). One set
#: of vars for every run, so that dbt's saved parse fits them all (other vars: a full parse).
VALUES_SCHEMAS = {"shop_schema": "values_shop", "marketing_schema": "values_marketing"}


@pytest.fixture(scope="module")
def values_database(engine: Engine) -> Engine:
    """A database of its own, with what the orders and spend base models read beside their raw
    table: the config seeds and the identities erased on request (none; from the fixtures)."""
    database = own_database(engine, "plausible_values")
    database.dbt("build", "--select", "+stg_privacy__erased_identities", vars=VALUES_SCHEMAS)
    return database


@pytest.mark.parametrize("raw_type", list(NUMBER_CASES))
def test_numbers_are_parsed_alike_on_every_engine(values_database: Engine, raw_type: str) -> None:
    """Revenue and spend stored as ``raw_type``: every row is staged with the value written
    here or quarantined with the reason written here, identically on each engine."""
    database = values_database
    types = RAW_TYPES[database.name]
    number_type = types[raw_type]
    cases = NUMBER_CASES[raw_type]
    shop, marketing = VALUES_SCHEMAS["shop_schema"], VALUES_SCHEMAS["marketing_schema"]
    order_columns = {"order_id": types["text"], "user_id": types["text"],
                     "created_at": types["text"], "status": types["text"],
                     "revenue": number_type}  # fmt: skip
    _create(
        database,
        f"{shop}.orders",
        order_columns,
        [
            [
                _literal(f"o_{case}", types["text"]),
                _literal("u1", types["text"]),
                _literal("2024-03-01 10:00:00", types["text"]),
                _literal("completed", types["text"]),
                _literal(value, number_type),
            ]
            for case, value, _ in cases
        ],
    )
    spend_columns = {"date": types["date"], "utm_source": types["text"], "spend": number_type}
    _create(
        database,
        f"{marketing}.ad_spend",
        spend_columns,
        [
            [
                _literal("2024-03-01", types["date"]),
                _literal(f"s_{case}", types["text"]),
                _literal(value, number_type),
            ]
            for case, value, _ in cases
        ],
    )
    run = database.dbt(
        "run", "--select", "base_shop__orders", "base_marketing__ad_spend",
        vars=VALUES_SCHEMAS, check=False,
    )  # fmt: skip
    assert run.ok, run.describe()
    orders = database.warehouse.query(
        "select order_id, revenue, quarantine_reason "
        f"from {run.relation('base_shop__orders')} order by order_id"
    )
    assert orders == sorted(
        (f"o_{case}", *_expected(expected, "revenue")) for case, _, expected in cases
    )
    spend = database.warehouse.query(
        "select utm_source, spend, quarantine_reason "
        f"from {run.relation('base_marketing__ad_spend')} order by utm_source"
    )
    assert spend == sorted(
        (f"s_{case}", *_expected(expected, "spend")) for case, _, expected in cases
    )


def test_times_dates_and_padded_copies(values_database: Engine) -> None:
    """Order times and spend dates stored as text: words, impossible dates and times outside
    the plausible range are quarantined with their reason; rows that differ only in padding or
    in how a number is written are copies of one row (one staged, one duplicate), not a
    conflict."""
    database = values_database
    text = RAW_TYPES[database.name]["text"]
    order_rows = [
        [
            _literal(f"o_time_{i}", text),
            _literal("u1", text),
            _literal(created_at, text),
            _literal("completed", text),
            _literal("10", text),
        ]
        for i, (created_at, _) in enumerate(ORDER_TIME_CASES)
    ]
    # one order written three ways: padded id, '10' and '10.00', a Z on its time
    order_rows += [
        [
            _literal(order_id, text),
            _literal("u1", text),
            _literal(created_at, text),
            _literal(status, text),
            _literal(revenue, text),
        ]
        for order_id, created_at, status, revenue in [
            ("o_padded", "2024-03-01 10:00:00", "completed", "10"),
            ("  o_padded ", "2024-03-01T10:00:00Z", " Completed", "10.00"),
        ]
    ]
    columns = {name: text for name in ("order_id", "user_id", "created_at", "status", "revenue")}
    _create(database, f"{VALUES_SCHEMAS['shop_schema']}.orders", columns, order_rows)
    spend_rows = [
        [_literal(spend_date, text), _literal(f"s_date_{i}", text), _literal("5", text)]
        for i, (spend_date, _) in enumerate(SPEND_DATE_CASES)
    ]
    spend_rows += [
        [_literal("2024-03-02", text), _literal("google", text), _literal("5", text)],
        [_literal(" 2024-03-02 ", text), _literal(" Google", text), _literal("5.0", text)],
    ]
    spend_columns = {"date": text, "utm_source": text, "spend": text}
    _create(database, f"{VALUES_SCHEMAS['marketing_schema']}.ad_spend", spend_columns, spend_rows)
    run = database.dbt(
        "run", "--select", "base_shop__orders", "base_marketing__ad_spend",
        vars=VALUES_SCHEMAS, check=False,
    )  # fmt: skip
    assert run.ok, run.describe()
    orders = database.warehouse.query(
        "select order_id, quarantine_reason, delivery_number "
        f"from {run.relation('base_shop__orders')} order by order_id, delivery_number"
    )
    expected_orders: list[tuple[Any, ...]] = [
        (f"o_time_{i}", reason, None if reason else 1)
        for i, (_, reason) in enumerate(ORDER_TIME_CASES)
    ]
    expected_orders += [("o_padded", None, 1), ("o_padded", None, 2)]
    assert orders == sorted(expected_orders, key=lambda row: (row[0], row[2]))
    spend = database.warehouse.query(
        "select utm_source, quarantine_reason, delivery_number "
        f"from {run.relation('base_marketing__ad_spend')} order by utm_source, delivery_number"
    )
    expected_spend: list[tuple[Any, ...]] = [
        (f"s_date_{i}", reason, None if reason else 1)
        for i, (_, reason) in enumerate(SPEND_DATE_CASES)
    ]
    expected_spend += [("google", None, 1), ("google", None, 2)]
    assert spend == sorted(expected_spend, key=lambda row: (row[0], row[2]))


# -- the incremental stall ------------------------------------------------------------------

STALL_SCHEMAS = {"segment_schema": "stall_segment", "shop_schema": "stall_shop",
                 "marketing_schema": "stall_marketing"}  # fmt: skip
#: What the stall builds: fct_events, the audit models, what they read, and the tests of
#: those alone (among them row_accounting_balances).
STALL_SELECT = data_selection("+fct_events", "+stg_audit__row_accounting")


def _stall_tables(engine: Engine) -> None:
    """Minimal raw tables (every table the base models read), one load of tracks."""
    types = RAW_TYPES[engine.name]
    text, ts = types["text"], types["ts"]

    def create(table: str, columns: list[str], rows: list[list[str | None]]) -> None:
        kinds = {name: (ts if name in ("received_at", "created_at") else text) for name in columns}
        kinds |= {name: types["date"] for name in columns if name == "date"}
        kinds |= {name: types["numeric"] for name in columns if name in ("revenue", "spend")}
        _create(
            engine,
            table,
            kinds,
            [[_literal(v, kinds[c]) for v, c in zip(row, columns, strict=True)] for row in rows],
        )

    segment = ["id", "anonymous_id", "user_id", "received_at"]
    create("stall_segment.tracks", ["id", "anonymous_id", "event", "received_at"], [
        ["t1", "d1", "signed_up", "2024-06-03 10:00:00"],
        ["t2", "d1", "report_created", "2024-06-03 10:05:00"],
    ])  # fmt: skip
    create("stall_segment.pages", segment, [["p1", "d1", None, "2024-06-03 09:59:00"]])
    create("stall_segment.identifies", segment, [["i1", "d1", "u1", "2024-06-03 10:00:30"]])
    create("stall_segment.groups", [*segment, "group_id"], [])
    create("stall_segment.experiment_viewed", [*segment, "experiment_id", "variation_id"], [])
    create("stall_shop.orders", ["order_id", "user_id", "created_at", "status", "revenue"],
           [["o1", "u1", "2024-06-03 10:10:00", "completed", "10"]])  # fmt: skip
    create("stall_marketing.ad_spend", ["date", "utm_source", "spend"],
           [["2024-06-03", "google", "5"]])  # fmt: skip


def _add_track(engine: Engine, event_id: str, received_at: str) -> None:
    engine.warehouse.execute(
        "insert into stall_segment.tracks (id, anonymous_id, event, received_at) values "
        f"('{event_id}', 'd1', 'report_created', "
        f"{_literal(received_at, RAW_TYPES[engine.name]['ts'])})"
    )


def _build(engine: Engine, *flags: str) -> DbtRun:
    run = engine.dbt("build", *STALL_SELECT, *flags, vars=STALL_SCHEMAS, check=False)
    assert run.ok, run.describe()
    return run


def _staged_events(engine: Engine, run: DbtRun) -> list[str]:
    rows = engine.warehouse.query(f"select event_id from {run.relation('fct_events')}")
    return sorted(row[0] for row in rows)


def _tracks_accounting(engine: Engine, run: DbtRun) -> tuple[Any, ...]:
    return tuple(
        engine.warehouse.query(
            "select raw_rows, staged_rows, duplicate_rows, quarantined_rows, unaccounted_rows "
            f"from {run.relation('stg_audit__row_accounting')} "
            "where source_table = 'segment.tracks'"
        )[0]
    )


def test_a_call_received_in_2100_does_not_stall_later_loads(engine: Engine) -> None:
    """Build, receive one call dated 2100, build, then a normal next load: it is staged and
    reaches fct_events (before the fix, the cutoff followed the 2100 received_at and left every
    later load out: the row accounting failed and the marts kept the old rows); and again after
    a --full-refresh."""
    database = own_database(engine, "plausible_stall")
    _stall_tables(database)
    run = _build(database)
    assert _staged_events(database, run) == ["p1", "t1", "t2"]

    _add_track(database, "t_2100", "2100-01-01 00:00:00")
    _build(database)
    _add_track(database, "t3", "2024-06-05 08:00:00")
    run = _build(database)
    assert _staged_events(database, run) == ["p1", "t1", "t2", "t3"]
    # raw, staged, duplicate, quarantined, unaccounted
    assert _tracks_accounting(database, run) == (4, 3, 0, 1, 0)
    reason = database.warehouse.scalar(
        f"select quarantine_reason from {run.relation('base_segment__tracks')} "
        "where event_id = 't_2100'"
    )
    assert reason == "received_in_future"

    _build(database, "--full-refresh")
    _add_track(database, "t4", "2024-06-06 08:00:00")
    run = _build(database)
    assert _staged_events(database, run) == ["p1", "t1", "t2", "t3", "t4"]
    assert _tracks_accounting(database, run) == (5, 4, 0, 1, 0)
