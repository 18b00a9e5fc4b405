"""Tests of the synthetic data generator, its loaders and the command line.

The hazard counts in manifest.json are compared with counts computed independently here, in
DuckDB SQL over the Parquet files, from the definitions of the hazards (not from the
generator's internals). The tracking-plan faults are recounted the same way, against the seed
seeds/config/tracking_plan.csv read as data.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from growthkit import gen_vocab
from growthkit.cli import main
from growthkit.gen_contract import EVENT_TABLES, RAW_TABLES, TRACKS, RawTable
from growthkit.generate import GenConfig, GenerateError, HazardRates, generate, parquet_path
from growthkit.pgserver import ThrowawayPostgres

BASE = GenConfig(visitors=5_000, days=30, seed=11, start_date=date(2024, 3, 1))
CLEAN = replace(BASE, seed=12, hazards=HazardRates.none())
PER_EVENT = tuple(t.name for t in EVENT_TABLES)
SEGMENT = ("tracks", "pages", "identifies", "groups", "experiment_viewed", *PER_EVENT)
WITH_CLIENT_TIMES = ("tracks", "pages", "identifies", "groups", *PER_EVENT)
#: Tables holding track calls with every column of tracks.
TRACK_CALLS = ("tracks", *PER_EVENT)
TRACKING_PLAN_CSV = Path(__file__).resolve().parents[1] / "seeds" / "config" / "tracking_plan.csv"
PROPERTY_FAULTS = (
    "unplanned_property",
    "missing_required_property",
    "wrong_type",
    "value_not_allowed",
)

# Row-level hazards as SQL over one raw Segment table (``t``), from their definitions.
ROW_HAZARD_SQL = {
    "rows": "count(*)",
    "duplicate_id": "count(id) - count(distinct id)",
    "missing_id": "count(*) filter (where id is null)",
    "missing_identity": "count(*) filter (where anonymous_id is null and user_id is null)",
    "future_clock": """count(*) filter (where "timestamp" > received_at + interval 60 minute)""",
    "late_arriving": """count(*) filter (
        where (id is null or delivery = 1) and received_at > "timestamp" + interval 1 hour)""",
}
CLIENT_TIME_SQL = {
    "null_timestamp": """count(*) filter (where "timestamp" is null
        and original_timestamp is not null and sent_at is not null and received_at is not null)""",
    "null_client_times": """count(*) filter (where "timestamp" is null
        and original_timestamp is null and sent_at is null and received_at is not null)""",
    "all_times_null": """count(*) filter (where "timestamp" is null
        and original_timestamp is null and sent_at is null and received_at is null)""",
}
#: The text columns of a tracks row / pages row where the generator plants emails.
EMAIL_TEXT_COLUMNS = {
    "tracks": (
        "context_page_url",
        "context_page_path",
        "context_page_referrer",
        "context_campaign_term",
        "context_campaign_content",
    ),
    "pages": (
        "url",
        "path",
        "referrer",
        "search",
        "context_campaign_term",
        "context_campaign_content",
    ),
}
EMAIL_IN_TEXT = "[a-zA-Z0-9._-]+(@|%40)[a-zA-Z0-9-]+[.][a-zA-Z]"
BOT_PATTERN = "(?i)(bot|spider|crawl|headlesschrome|python-requests)"
ODD_TEXT_PATTERN = "[^\\x00-\\x7f\"']"  # a non-ASCII or a quote character


def _hash_tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _connect(root: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    for table in RAW_TABLES:
        con.execute(
            f"create view {table.name} as select * from read_parquet('{parquet_path(root, table)}')"
        )
    # The tracking plan as an analyst edits it; slug = the raw event column of a planned event.
    con.execute(
        f"""create table tracking_plan as
            select *, lower(replace(event_name, ' ', '_')) as slug
            from read_csv('{TRACKING_PLAN_CSV}', header = true, all_varchar = true)"""
    )
    return con


def _scalar(con: duckdb.DuckDBPyConnection, query: str) -> Any:
    row = con.execute(query).fetchone()
    assert row is not None
    return row[0]


def _odd_text_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    text_cols = [
        name for name, kind, *_ in con.execute(f"describe {table}").fetchall() if kind == "VARCHAR"
    ]
    pattern = ODD_TEXT_PATTERN.replace("'", "''")
    any_odd = " or ".join(f"regexp_matches(coalesce({c}, ''), '{pattern}')" for c in text_cols)
    return int(_scalar(con, f"select count(*) from {table} where {any_odd}"))


def _plan_rows(con: duckdb.DuckDBPyConnection, slug: str) -> list[tuple[str, str, str, str]]:
    """(property_name, property_type, is_required, allowed_values) of a planned event."""
    return con.execute(
        """select property_name, property_type, is_required, coalesce(allowed_values, '')
           from tracking_plan where slug = ? and property_name is not null""",
        [slug],
    ).fetchall()


def property_fault_conditions(
    con: duckdb.DuckDBPyConnection, table: str
) -> dict[str, dict[str, str]]:
    """Per property fault, per property column of a per-event table: the SQL condition of a row
    having that fault in that column, from the plan's rows and the table's columns."""
    columns = {r[0]: r[1] for r in con.execute(f"describe {table}").fetchall()}
    plan = {name: (kind, req, allowed) for name, kind, req, allowed in _plan_rows(con, table)}
    common = set(TRACKS.column_names)
    conditions: dict[str, dict[str, str]] = {fault: {} for fault in PROPERTY_FAULTS}
    for name in (c for c in columns if c not in common):
        if name not in plan:
            conditions["unplanned_property"][name] = f"{name} is not null"
            continue
        kind, required, allowed = plan[name]
        if required == "true":
            conditions["missing_required_property"][name] = f"{name} is null"
        if kind == "number" and columns[name] == "VARCHAR":
            conditions["wrong_type"][name] = (
                f"{name} is not null and not regexp_matches({name}, '^-?[0-9]+(\\.[0-9]+)?$')"
            )
        if allowed:
            values = ", ".join("'" + v.replace("'", "''") + "'" for v in allowed.split("|"))
            conditions["value_not_allowed"][name] = (
                f"{name} is not null and {name} not in ({values})"
            )
    return conditions


def property_fault_exprs(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """SQL counting the rows of a per-event table with each property fault (in any column)."""
    return {
        fault: "count(*) filter (where " + " or ".join(f"({c})" for c in conds.values()) + ")"
        if conds
        else "0"
        for fault, conds in property_fault_conditions(con, table).items()
    }


# --- tracking-plan faults over usable calls (manifest "calls"), from their definitions -----------
#: Fault types counted over calls, and the per-event tables (experiment_viewed included).
CALL_FAULTS = (
    "unplanned_event",
    "non_standard_event_name",
    "missing_user_id_after_identify",
    *PROPERTY_FAULTS,
)
PROPERTY_TABLES = ("experiment_viewed", *PER_EVENT)


def _blank(expression: str) -> str:
    return f"nullif(trim({expression}), '') is null"


def _event_at(client_times: bool) -> str:
    """A raw row's event time: timestamp; else received_at - (sent_at - original_timestamp);
    else received_at; received_at where that is more than 60 minutes after received_at."""
    corrected = "received_at - (sent_at - original_timestamp), " if client_times else ""
    candidate = f'coalesce("timestamp", {corrected}received_at)'
    return f"""case when {candidate} > received_at + interval 60 minute then received_at
                    else {candidate} end"""


def _calls_sql(table: str) -> str:
    """The calls of a raw table: usable rows (an id, an anonymous_id or user_id, an event time),
    one per trimmed id, the copy received first; with call_id and event_at."""
    return f"""select * from (
                   select *, trim(id) as call_id,
                          {_event_at(table in WITH_CLIENT_TIMES)} as event_at
                   from {table})
               where not {_blank("id")}
                 and not ({_blank("anonymous_id")} and {_blank("user_id")})
                 and event_at is not null
               qualify row_number() over (
                   partition by call_id order by received_at nulls last) = 1"""


def _normalised(expression: str) -> str:
    """The project's snake_case of an event name: lowercase, camelCase boundaries and runs of
    other characters than a-z0-9 to one underscore, no leading or trailing underscores."""
    camel = f"regexp_replace(trim({expression}), '([a-z0-9])([A-Z])', '\\1_\\2', 'g')"
    runs = f"regexp_replace(lower({camel}), '[^a-z0-9]+', '_', 'g')"
    return f"nullif(regexp_replace({runs}, '^_+|_+$', '', 'g'), '')"


def create_call_views(con: duckdb.DuckDBPyConnection) -> None:
    """Views ``<table>_call`` of the calls of tracks, pages, identifies and the per-event tables
    (per-event calls: of tracks calls, dated by them), and ``planned_event``."""
    con.execute(
        f"""create or replace view planned_event as
            select distinct event_name, {_normalised("event_name")} as event_key
            from tracking_plan"""
    )
    name = "coalesce(nullif(trim(event), ''), nullif(trim(event_text), ''))"
    con.execute(
        f"""create or replace view tracks_call as
            select *, {_normalised(name)} as event_key from ({_calls_sql("tracks")})"""
    )
    for table in ("pages", "identifies"):
        con.execute(f"create or replace view {table}_call as {_calls_sql(table)}")
    for table in PROPERTY_TABLES:
        con.execute(
            f"""create or replace view {table}_call as
                select e.* replace (t.event_at as event_at)
                from ({_calls_sql(table)}) as e
                inner join tracks_call as t on t.call_id = e.call_id"""
        )


def call_fault_conditions(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, dict[str, str]]:
    """Per property fault, per property column of a per-event table: the SQL condition of a
    call violating it in that column (values compared as trimmed text)."""
    columns = [r[0] for r in con.execute(f"describe {table}").fetchall()]
    plan = {name: (kind, req, allowed) for name, kind, req, allowed in _plan_rows(con, table)}
    common = set(TRACKS.column_names)
    conditions: dict[str, dict[str, str]] = {fault: {} for fault in PROPERTY_FAULTS}
    for name in (c for c in columns if c not in common):
        value = f"trim(cast({name} as varchar))"
        given = f"nullif({value}, '') is not null"
        if name not in plan:
            conditions["unplanned_property"][name] = f"{name} is not null"
            continue
        kind, required, allowed = plan[name]
        if required == "true":
            conditions["missing_required_property"][name] = f"not ({given})"
        if kind == "number":
            conditions["wrong_type"][name] = f"""{given} and (length({value}) > 20
                or not regexp_matches({value}, '^-?[0-9]+(\\.[0-9]+)?$'))"""
        elif kind == "boolean":
            conditions["wrong_type"][name] = f"{given} and lower({value}) not in ('true', 'false')"
        if allowed:
            values = ", ".join("'" + v.replace("'", "''") + "'" for v in allowed.split("|"))
            conditions["value_not_allowed"][name] = f"{given} and {value} not in ({values})"
    return conditions


CallKey = tuple[str, str, str]  # (table, event slug or '', property or '')


def recount_calls(con: duckdb.DuckDBPyConnection) -> dict[str, dict[CallKey, dict[str, int]]]:
    """Per call fault, per (table, event, property): the calls by UTC date of event time."""
    create_call_views(con)
    # Per fault: (table, the event it is listed under, property, condition on a call ``c``).
    queries: dict[str, list[tuple[str, str, str, str]]] = {fault: [] for fault in CALL_FAULTS}
    queries["unplanned_event"].append(
        (
            "tracks",
            "event_key",
            "",
            "not exists (select 1 from planned_event p where p.event_key = c.event_key)",
        )
    )
    queries["non_standard_event_name"].append(
        (
            "tracks",
            "event_key",
            "",
            f"""not {_blank("event_text")} and exists (select 1 from planned_event p
                    where p.event_key = c.event_key and p.event_name <> trim(c.event_text))""",
        )
    )
    for table in ("tracks", "pages"):
        queries["missing_user_id_after_identify"].append(
            (
                table,
                "''",
                "",
                f"""not {_blank("anonymous_id")} and {_blank("user_id")}
                    and exists (select 1 from identifies_call i
                                where trim(i.anonymous_id) = trim(c.anonymous_id)
                                  and i.event_at < c.event_at)""",
            )
        )
    for table in PROPERTY_TABLES:
        for fault, conditions in call_fault_conditions(con, table).items():
            queries[fault].extend(
                (table, f"'{table}'", prop, cond) for prop, cond in conditions.items()
            )
    out: dict[str, dict[CallKey, dict[str, int]]] = {}
    for fault, parts in queries.items():
        found: dict[CallKey, dict[str, int]] = {}
        for table, event, prop, condition in parts:
            rows = con.execute(
                f"""select {event}, strftime(event_at, '%Y-%m-%d'), count(*)
                    from {table}_call as c where {condition} group by all"""
            ).fetchall()
            for event_key, day, calls in rows:
                found.setdefault((f"segment.{table}", event_key, prop), {})[day] = calls
        out[fault] = {key: dict(sorted(per_day.items())) for key, per_day in found.items()}
    return out


def manifest_calls(entry: dict[str, Any]) -> dict[CallKey, dict[str, int]]:
    """A fault's ``by`` entries with calls, in the shape ``recount_calls`` returns."""
    return {
        (e["table"], _slug(e.get("event", "")), e.get("property", "")): e["calls_by_date"]
        for e in entry["by"]
        if e["calls"]
    }


def observed_counts(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, int]:
    """Hazard counts of one raw table, computed from the data alone."""
    src = f"""(select *, row_number() over (partition by id order by received_at) as delivery
               from {table}) as c"""
    exprs = dict(ROW_HAZARD_SQL)
    if table in WITH_CLIENT_TIMES:
        exprs |= CLIENT_TIME_SQL
    else:  # experiment_viewed has no original_timestamp/sent_at
        exprs["null_timestamp_any"] = (
            """count(*) filter (where "timestamp" is null and received_at is not null)"""
        )
        exprs["all_times_null"] = (
            """count(*) filter (where "timestamp" is null and received_at is null)"""
        )
    if table in ("pages", "identifies", *TRACK_CALLS):
        exprs["bot_user_agent"] = (
            f"count(*) filter (where regexp_matches(context_user_agent, '{BOT_PATTERN}'))"
        )
    if table in TRACK_CALLS:
        exprs["event_name_variant"] = "count(*) filter (where event_text not like '% %')"
        exprs["utm_url_only"] = """count(*) filter (where context_page_url like '%utm_%'
            and context_campaign_source is null)"""
        # Rows of a planned event spelled otherwise than the plan spells it.
        exprs["non_standard_event_name"] = """count(*) filter (where exists (
            select 1 from tracking_plan p where p.slug = event and p.event_name <> event_text))"""
    if table == "tracks":
        exprs["unplanned_event"] = """count(*) filter (where not exists (
            select 1 from tracking_plan p where p.slug = event))"""
    if table in ("tracks", "pages"):
        exprs["missing_user_id_after_identify"] = """count(*) filter (where anonymous_id is not null
            and user_id is null and "timestamp" is not null and exists (
                select 1 from identifies i
                where i.anonymous_id = c.anonymous_id and i."timestamp" < c."timestamp"))"""
    if table in ("experiment_viewed", *PER_EVENT):
        exprs |= property_fault_exprs(con, table)
    if table == "pages":
        exprs["utm_url_only"] = (
            "count(*) filter (where url like '%utm_%' and context_campaign_source is null)"
        )
    if table in ("pages", *TRACK_CALLS):
        # An address (plain or %40-encoded) in a URL, path, referrer, search or campaign text.
        texts = EMAIL_TEXT_COLUMNS["pages" if table == "pages" else "tracks"]
        exprs["email_in_text"] = (
            f"count(*) filter (where regexp_matches(concat_ws(' ', {', '.join(texts)}), "
            f"'{EMAIL_IN_TEXT}'))"
        )
    if table == "document_searched":
        exprs["email_in_query"] = "count(*) filter (where query like '%@%')"
    if table == "identifies":
        # at the internal domain, in any case, display-name form and trailing dot included
        exprs["internal_email"] = (
            "count(*) filter (where regexp_matches(lower(email), '@growthco[.]example[.]?>?$'))"
        )
        exprs["mixed_case_email"] = "count(*) filter (where email <> lower(email))"
        exprs["odd_email"] = """count(*) filter (where email like '%>' or email like '%.'
            or (email = upper(email) and email <> lower(email)) or email not like '%@%')"""
    names = list(exprs)
    row = con.execute(f"select {', '.join(exprs[n] for n in names)} from {src}").fetchone()
    assert row is not None
    counts = {name: int(value) for name, value in zip(names, row, strict=True)}
    counts["unicode_text"] = _odd_text_rows(con, table)
    return counts


def expected_counts(manifest: dict[str, Any], table: str) -> dict[str, int]:
    """The manifest's counts, in the shape ``observed_counts`` returns."""
    key = "shop.orders" if table == "orders" else f"segment.{table}"
    m = dict(manifest["tables"][key])
    if table == "experiment_viewed":
        m["null_timestamp_any"] = m.pop("null_timestamp") + m.pop("null_client_times")
    return m


@pytest.fixture(scope="module")
def hazardous(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    out = tmp_path_factory.mktemp("hazardous")
    manifest = generate(BASE, out, progress=False, log=lambda _: None)
    yield out, manifest


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    out = tmp_path_factory.mktemp("clean")
    manifest = generate(CLEAN, out, progress=False, log=lambda _: None)
    yield out, manifest


# --- determinism ---------------------------------------------------------------------------------
def test_same_seed_gives_identical_files(
    hazardous: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    first, _ = hazardous
    generate(BASE, tmp_path, progress=False, log=lambda _: None)
    assert _hash_tree(tmp_path) == _hash_tree(first)


def test_other_seed_gives_other_data(
    hazardous: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    first, _ = hazardous
    generate(replace(BASE, seed=BASE.seed + 1), tmp_path, progress=False, log=lambda _: None)
    for table in ("tracks", "pages", "identifies"):
        rel = f"segment/{table}.parquet"
        assert (tmp_path / rel).read_bytes() != (first / rel).read_bytes(), rel
    con = _connect(first)
    other = _connect(tmp_path)
    ids = {
        r[0] for r in con.execute("select id from tracks where id is not null limit 100").fetchall()
    }
    assert not ids & {r[0] for r in other.execute("select id from tracks").fetchall()}


def test_events_target_is_met_closely(tmp_path: Path) -> None:
    manifest = generate(
        GenConfig(events=30_000, days=20, seed=5), tmp_path, progress=False, log=lambda _: None
    )
    assert 0.9 * 30_000 <= manifest["events"] <= 1.1 * 30_000
    con = _connect(tmp_path)
    tracks = _scalar(con, "select count(*) from tracks")
    assert tracks + _scalar(con, "select count(*) from pages") == manifest["events"]


# --- contract ------------------------------------------------------------------------------------
DUCKDB_TYPE_OF = {
    "text": "VARCHAR",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "money": "DECIMAL(12,2)",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
}


@pytest.mark.parametrize("table", RAW_TABLES, ids=lambda t: t.key)
def test_schema_is_exactly_the_contract(
    hazardous: tuple[Path, dict[str, Any]], table: RawTable
) -> None:
    root, manifest = hazardous
    con = _connect(root)
    described = [(r[0], r[1]) for r in con.execute(f"describe {table.name}").fetchall()]
    assert described == [(name, DUCKDB_TYPE_OF[kind]) for name, kind in table.columns]
    assert manifest["tables"][table.key]["columns"] == list(table.column_names)


# --- hazards -------------------------------------------------------------------------------------
@pytest.mark.parametrize("table", [*SEGMENT, "orders"])
def test_manifest_counts_equal_observed(hazardous: tuple[Path, dict[str, Any]], table: str) -> None:
    root, manifest = hazardous
    con = _connect(root)
    expected = expected_counts(manifest, table)
    if table == "orders":
        observed = {
            "rows": _scalar(con, "select count(*) from orders"),
            "null_user_id": _scalar(con, "select count(*) from orders where user_id is null"),
            "duplicate_order_id": _scalar(
                con, "select count(*) - count(distinct order_id) from orders"
            ),
        }
    else:
        observed = observed_counts(con, table)
    comparable = {k: expected[k] for k in observed}
    assert observed == comparable


@pytest.mark.parametrize("table", ["tracks", "pages"])
def test_every_hazard_is_present_in_the_event_tables(
    hazardous: tuple[Path, dict[str, Any]], table: str
) -> None:
    _, manifest = hazardous
    counts = manifest["tables"][f"segment.{table}"]
    empty = [name for name, value in counts.items() if isinstance(value, int) and value == 0]
    assert empty == []


def test_hazards_in_the_other_tables(hazardous: tuple[Path, dict[str, Any]]) -> None:
    root, manifest = hazardous
    tables = manifest["tables"]
    assert tables["segment.identifies"]["internal_email"] > 0
    assert tables["segment.identifies"]["unicode_text"] > 0
    assert tables["segment.groups"]["unicode_text"] > 0
    assert tables["shop.orders"]["duplicate_order_id"] + tables["shop.orders"]["null_user_id"] > 0
    con = _connect(root)
    # Duplicates are re-deliveries: same id and content, only received_at later.
    differing = _scalar(
        con,
        """select count(*) from (
               select id from tracks where id is not null group by id
               having count(*) > 1 and (count(distinct event) > 1 or count(distinct "timestamp") > 1
                   or count(distinct received_at) < count(*)))""",
    )
    assert differing == 0
    later_day = _scalar(
        con,
        """select count(*) from (select id from pages where id is not null group by id
               having max(received_at) - min(received_at) > interval 1 day)""",
    )
    assert later_day > 0


#: Not planted only: a device's own user may call without a user id after another user's
#: identify on it (a shared device), so clean data may have some; they must still be counted.
NATURAL = ("rows", "missing_user_id_after_identify")


def test_zero_hazards_mode_has_none(clean: tuple[Path, dict[str, Any]]) -> None:
    root, manifest = clean
    con = _connect(root)
    for table in SEGMENT:
        observed = observed_counts(con, table)
        assert {k: v for k, v in observed.items() if k not in NATURAL and v} == {}, table
        m = manifest["tables"][f"segment.{table}"]
        assert {k: v for k, v in m.items() if isinstance(v, int) and k not in NATURAL and v} == {}
        for name in NATURAL:
            assert observed.get(name) == m.get(name), (table, name)
    assert _scalar(con, "select count(*) from orders where user_id is null") == 0
    assert _scalar(con, "select count(*) - count(distinct order_id) from orders") == 0
    assert _odd_text_rows(con, "ad_spend") == 0
    assert manifest["stats"]["bot_visitors"] == manifest["stats"]["internal_users"] == 0


def test_segment_time_correction_holds_for_clean_rows(clean: tuple[Path, dict[str, Any]]) -> None:
    root, _ = clean
    con = _connect(root)
    for table in WITH_CLIENT_TIMES:
        bad = _scalar(
            con,
            f"""select count(*) from {table}
                where "timestamp" is distinct from received_at - (sent_at - original_timestamp)
                   or received_at < "timestamp" or received_at > "timestamp" + interval 1 minute""",
        )
        assert bad == 0, table
    first_day = CLEAN.start_date.isoformat()
    assert _scalar(con, f"""select min("timestamp") >= date '{first_day}' from pages""")


# --- realism -------------------------------------------------------------------------------------
def test_experiment_viewed_rows_are_tracks_rows(hazardous: tuple[Path, dict[str, Any]]) -> None:
    root, _ = hazardous
    con = _connect(root)
    orphans = _scalar(
        con,
        """select count(*) from experiment_viewed e
           where e.id is not null and not exists (
               select 1 from tracks t where t.id = e.id and t.event = 'experiment_viewed')""",
    )
    assert orphans == 0
    exposures = _scalar(con, "select count(*) from tracks where event = 'experiment_viewed'")
    assert exposures == _scalar(con, "select count(*) from experiment_viewed")
    pairs = con.execute(
        "select distinct experiment_id, variation_id from experiment_viewed order by all"
    ).fetchall()
    assert pairs == [
        ("exp_checkout_redesign", "control"),
        ("exp_checkout_redesign", "variant"),
        ("exp_signup_cta", "control"),
        ("exp_signup_cta", "variant"),
    ]


def test_channels_are_varied(clean: tuple[Path, dict[str, Any]]) -> None:
    root, _ = clean
    con = _connect(root)
    rows = con.execute("select distinct context_campaign_medium from pages").fetchall()
    mediums = {r[0] for r in rows}
    assert {"cpc", "paid_social", "email", "affiliate", "display", "banner"} <= mediums
    landing = """from pages where url not like '%utm_%' and (referrer is null
                 or referrer not like 'https://www.growthco.example/%')"""
    organic = _scalar(con, f"select count(*) {landing} and referrer like '%google.com%'")
    social = _scalar(con, f"select count(*) {landing} and referrer like '%t.co%'")
    referral = _scalar(con, f"select count(*) {landing} and referrer like '%ycombinator%'")
    direct = _scalar(con, f"select count(*) {landing} and referrer is null")
    assert min(organic, social, referral, direct) > 0
    # UTM tags sit in the landing URL as well as in context_campaign_*.
    not_in_url = _scalar(
        con,
        """select count(*) from pages where context_campaign_source is not null
           and url not like '%utm_source=' || context_campaign_source || '%'""",
    )
    assert not_in_url == 0


def test_sessions_identity_and_orders_look_real(clean: tuple[Path, dict[str, Any]]) -> None:
    root, manifest = clean
    con = _connect(root)
    sessions, devices, multi_day = con.execute(
        """with calls as (
               select anonymous_id, "timestamp" as event_at from pages
               union all
               select anonymous_id, "timestamp" from tracks where anonymous_id is not null),
           marked as (
               select
                   anonymous_id,
                   event_at,
                   coalesce(event_at - lag(event_at) over w > interval 30 minute, true) as is_new
               from calls window w as (partition by anonymous_id order by event_at))
           select count(*) filter (where is_new), count(distinct anonymous_id),
                  (select count(*) from (select anonymous_id from marked group by 1
                                         having count(distinct cast(event_at as date)) > 1))
           from marked"""
    ).fetchone() or (0, 0, 0)
    assert sessions > 1.5 * devices
    assert multi_day > 0.1 * devices
    # Identity: users on two devices, and a device shared by two users.
    users_on_two_devices = _scalar(
        con,
        """select count(*) from (select user_id from identifies group by 1
                                 having count(distinct anonymous_id) > 1)""",
    )
    shared_devices = _scalar(
        con,
        """select count(*) from (select anonymous_id from identifies group by 1
                                 having count(distinct user_id) > 1)""",
    )
    assert users_on_two_devices > 0 and shared_devices > 0
    # A funnel that narrows, repeat orders, mixed statuses.
    signed, checkout, ordered = con.execute(
        """select count(distinct user_id) filter (where event = 'signed_up'),
                  count(distinct user_id) filter (where event = 'checkout_started'),
                  count(distinct user_id) filter (where event = 'order_completed')
           from tracks"""
    ).fetchone() or (0, 0, 0)
    assert signed > checkout > ordered > 0
    repeat_buyers = _scalar(
        con, "select count(*) from (select user_id from orders group by 1 having count(*) > 1)"
    )
    assert repeat_buyers > 0
    statuses = {r[0] for r in con.execute("select distinct status from orders").fetchall()}
    assert statuses == {"completed", "cancelled", "refunded"}
    assert _scalar(con, "select count(*) from orders") == manifest["stats"]["orders"]
    # Accounts: plans, users moving account.
    plans = {r[0] for r in con.execute("select distinct plan from groups").fetchall()}
    assert plans == {"free", "team", "enterprise"}
    moved = _scalar(
        con,
        """select count(*) from (select user_id from groups group by 1
                                 having count(distinct group_id) > 1)""",
    )
    assert moved > 0


def test_mixed_event_names_and_odd_text(hazardous: tuple[Path, dict[str, Any]]) -> None:
    root, _ = hazardous
    con = _connect(root)
    texts = {r[0] for r in con.execute("select distinct event_text from tracks").fetchall()}
    assert {"Signed Up", "signed_up", "signedUp", "Order Completed"} <= texts
    # event is Segment's slug of event_text, whatever the style.
    pairs = con.execute("select distinct event, event_text from tracks").fetchall()
    for event, text in pairs:
        slug = re.sub(r"([a-z])([A-Z])", r"\1_\2", text).lower().replace(" ", "_")
        assert event == slug, (event, text)
    names = {r[0] for r in con.execute("select distinct name from identifies").fetchall()}
    assert any(n and not n.isascii() for n in names)


def test_ad_spend_covers_the_paid_campaigns(clean: tuple[Path, dict[str, Any]]) -> None:
    root, _ = clean
    con = _connect(root)
    repeated = _scalar(
        con,
        """select count(*) - count(distinct (date, utm_source, utm_medium, utm_campaign))
           from ad_spend""",
    )
    assert repeated == 0
    assert _scalar(con, "select count(distinct date) from ad_spend") == CLEAN.days
    unpaid = _scalar(
        con,
        """select count(*) from (
               select distinct context_campaign_source, context_campaign_medium,
                      context_campaign_name from pages
               where context_campaign_medium in ('cpc', 'paid_social', 'display', 'banner')) p
           where not exists (select 1 from ad_spend a where a.utm_source = p.context_campaign_source
               and a.utm_medium = p.context_campaign_medium
               and a.utm_campaign = p.context_campaign_name)""",
    )
    assert unpaid == 0


# --- tracking plan and per-event tables ----------------------------------------------------------
def _slug(name: str) -> str:
    return name.lower().replace(" ", "_")


def test_tracking_plan_seed_is_the_generators_plan(hazardous: tuple[Path, dict[str, Any]]) -> None:
    # The seed is written from gen_vocab.TRACKING_PLAN: after changing the plan, run
    # growthkit tracking-plan --out seeds/config/tracking_plan.csv
    assert TRACKING_PLAN_CSV.read_text() == gen_vocab.tracking_plan_csv()
    root, _ = hazardous
    con = _connect(root)
    columns = [r[0] for r in con.execute("describe tracking_plan").fetchall()]
    assert columns[:-1] == [
        "event_name",
        "property_name",
        "property_type",
        "is_required",
        "allowed_values",
        "description",
        "owner",
    ]
    bad = con.execute(
        """select * from tracking_plan
           where event_name is null or owner is null or description is null
              or not regexp_matches(event_name, '^[A-Z][a-z]+( [A-Z][a-z]+)*$')
              or (property_name is null) <> (property_type is null)
              or (property_name is null) <> (is_required is null)
              or property_type not in ('text', 'number', 'boolean', 'timestamp')
              or is_required not in ('true', 'false')
              or (property_name is null and allowed_values is not null)"""
    ).fetchall()
    assert bad == []
    # One row per (event, property); the property-less row only for events without properties.
    assert (
        _scalar(
            con,
            """select count(*) from (select event_name from tracking_plan group by 1
           having count(*) > 1 and count(property_name) < count(*))""",
        )
        == 0
    )
    assert (
        _scalar(
            con, "select count(*) - count(distinct (event_name, property_name)) from tracking_plan"
        )
        == 0
    )


def test_every_event_sent_is_planned_except_the_unplanned_one(
    hazardous: tuple[Path, dict[str, Any]],
) -> None:
    root, manifest = hazardous
    con = _connect(root)
    sent = {r[0] for r in con.execute("select distinct event from tracks").fetchall()}
    planned = {r[0] for r in con.execute("select distinct slug from tracking_plan").fetchall()}
    assert sent - planned == {"debug_ping"}
    assert planned <= sent
    # Every planned event with properties has its per-event table, with every planned column.
    with_properties = {
        r[0]
        for r in con.execute(
            "select distinct slug from tracking_plan where property_name is not null"
        ).fetchall()
    }
    assert with_properties == {"experiment_viewed", *PER_EVENT}
    for table in with_properties:
        columns = {r[0] for r in con.execute(f"describe {table}").fetchall()}
        assert {r[0] for r in _plan_rows(con, table)} <= columns, table
    unplanned = manifest["tracking_faults"]["unplanned_property"]["by"]
    assert [(e["table"], e["property"]) for e in unplanned] == [
        ("segment.document_searched", "debug_mode")
    ]


@pytest.mark.parametrize("table", PER_EVENT)
def test_per_event_rows_are_tracks_rows(hazardous: tuple[Path, dict[str, Any]], table: str) -> None:
    """The same calls: the common columns of the per-event table's rows are exactly (as a
    multiset, null ids included) those of the tracks rows of the event."""
    root, _ = hazardous
    con = _connect(root)
    common = ", ".join(f'"{c}"' for c in TRACKS.column_names)
    for first, second in (("e", "t"), ("t", "e")):
        extra = _scalar(
            con,
            f"""with e as (select {common} from {table}),
                     t as (select {common} from tracks where event = '{table}')
                select count(*) from (select * from {first} except all select * from {second})""",
        )
        assert extra == 0, (table, first)
    assert _scalar(con, f"select count(*) from {table}") > 0
    # Each row's event_text names this event, in some spelling.
    assert _scalar(con, f"select count(distinct event) from {table}") == 1


def test_tracking_fault_counts_equal_recount(hazardous: tuple[Path, dict[str, Any]]) -> None:
    root, manifest = hazardous
    con = _connect(root)
    faults = manifest["tracking_faults"]
    row_faults = (
        "unplanned_event",
        "non_standard_event_name",
        "missing_user_id_after_identify",
        *PROPERTY_FAULTS,
    )
    observed = {
        table: observed_counts(con, table) for table in ("pages", "experiment_viewed", *TRACK_CALLS)
    }
    for fault in row_faults:
        entry = faults[fault]
        tables = [key.removeprefix("segment.") for key in entry["tables"]]
        assert entry["rows"] == sum(observed[t][fault] for t in tables), fault
        assert entry["rows"] > 0, f"{fault} was not planted"
        for table in tables:  # the per-table counts as well
            assert manifest["tables"][f"segment.{table}"][fault] == observed[table][fault]
    # Where: rows per event ...
    for fault, condition in (
        ("unplanned_event", "not exists (select 1 from tracking_plan p where p.slug = event)"),
        (
            "non_standard_event_name",
            """exists (select 1 from tracking_plan p
                       where p.slug = event and p.event_name <> event_text)""",
        ),
    ):
        by_event = dict(
            con.execute(
                f"select event, count(*) from tracks where {condition} group by 1"
            ).fetchall()
        )
        assert {_slug(e["event"]): e["rows"] for e in faults[fault]["by"]} == by_event, fault
    # ... per property ...
    for fault in PROPERTY_FAULTS:
        recounted = {}
        for table in ("experiment_viewed", *PER_EVENT):
            for prop, condition in property_fault_conditions(con, table)[fault].items():
                rows = _scalar(con, f"select count(*) from {table} where {condition}")
                if rows:
                    recounted[(f"segment.{table}", prop)] = rows
        assert {(e["table"], e["property"]): e["rows"] for e in faults[fault]["by"]} == recounted
    # ... and per table.
    by_table = {e["table"]: e["rows"] for e in faults["missing_user_id_after_identify"]["by"]}
    assert by_table == {
        f"segment.{t}": observed[t]["missing_user_id_after_identify"] for t in ("tracks", "pages")
    }
    # The planted ones named in the brief.
    assert {e["property"] for e in faults["missing_required_property"]["by"]} == {"order_id"}
    assert {e["property"] for e in faults["wrong_type"]["by"]} == {"revenue"}
    assert {e["property"] for e in faults["value_not_allowed"]["by"]} == {"rating"}
    assert (
        _scalar(con, "select count(*) from search_rated where rating = 'meh'")
        == (faults["value_not_allowed"]["rows"])
    )


def test_tracking_fault_calls_equal_recount(hazardous: tuple[Path, dict[str, Any]]) -> None:
    """The manifest's calls (total, per ``by`` entry, per date) are the usable calls with each
    fault, recounted by SQL from the definitions; every planted fault type has some."""
    root, manifest = hazardous
    con = _connect(root)
    recount = recount_calls(con)
    for fault in CALL_FAULTS:
        entry = manifest["tracking_faults"][fault]
        assert manifest_calls(entry) == recount[fault], fault
        for e in entry["by"]:
            assert e["calls"] == sum(e["calls_by_date"].values()), (fault, e)
        total: dict[str, int] = {}
        for per_day in recount[fault].values():
            for day, calls in per_day.items():
                total[day] = total.get(day, 0) + calls
        assert entry["calls_by_date"] == dict(sorted(total.items())), fault
        assert entry["calls"] == sum(total.values()), fault
        assert entry["calls"] > 0, f"{fault} was not planted in any usable call"
    # Calls are fewer than rows where duplicates or unusable rows carry the fault.
    missing = manifest["tracking_faults"]["missing_user_id_after_identify"]
    assert missing["calls"] < missing["rows"]


def test_volume_drop_and_spike_days(hazardous: tuple[Path, dict[str, Any]]) -> None:
    root, manifest = hazardous
    con = _connect(root)
    for fault, ratio in (("volume_drop", 0.1), ("volume_spike", 5.0)):
        entry = manifest["tracking_faults"][fault]
        recount = dict(
            con.execute(
                f"""select strftime(cast("timestamp" as date), '%Y-%m-%d'), count(*) from tracks
                    where event = '{_slug(entry["event"])}'
                      and "timestamp" >= date '{BASE.start_date}'
                      and "timestamp" < date '{BASE.start_date}' + interval {BASE.days} day
                    group by 1"""
            ).fetchall()
        )
        daily = {day: rows for day, rows in entry["daily_rows"].items() if rows}
        assert daily == recount, fault
        assert entry["rows_on_date"] == recount.get(entry["date"], 0)
        others = sorted(rows for day, rows in entry["daily_rows"].items() if day != entry["date"])
        median = others[len(others) // 2]
        if fault == "volume_drop":
            assert entry["rows_on_date"] < ratio * median, (entry["rows_on_date"], median)
        else:
            assert entry["rows_on_date"] > ratio * median, (entry["rows_on_date"], median)
    assert (
        manifest["tracking_faults"]["volume_drop"]["event"]
        != manifest["tracking_faults"]["volume_spike"]["event"]
    )


def test_property_first_appears_mid_period(hazardous: tuple[Path, dict[str, Any]]) -> None:
    root, manifest = hazardous
    con = _connect(root)
    entry = manifest["tracking_faults"]["new_property"]
    table, column, first = (
        entry["table"].removeprefix("segment."),
        entry["property"],
        entry["first_date"],
    )
    assert (table, column) == ("integration_connected", "plan_tier")
    assert BASE.start_date.isoformat() < first < date(2024, 3, 31).isoformat()
    before, set_before, after, null_after = con.execute(
        f"""select count(*) filter (where "timestamp" < date '{first}'),
                   count({column}) filter (where "timestamp" < date '{first}'),
                   count(*) filter (where "timestamp" >= date '{first}'),
                   count(*) filter (where "timestamp" >= date '{first}' and {column} is null)
            from {table}"""
    ).fetchone() or (0, 0, 0, 0)
    assert before > 0 and after > 0
    assert set_before == 0 and null_after == 0
    # The first day it appears is the first day it is set.
    assert (
        str(
            _scalar(
                con,
                f'select min(cast("timestamp" as date)) from {table} where {column} is not null',
            )
        )
        == first
    )


def test_clean_data_has_no_planted_tracking_faults(clean: tuple[Path, dict[str, Any]]) -> None:
    root, manifest = clean
    con = _connect(root)
    faults = manifest["tracking_faults"]
    planted = {
        name: entry["rows"]
        for name, entry in faults.items()
        if "rows" in entry and name != "missing_user_id_after_identify"
    }
    assert planted == dict.fromkeys(planted, 0)
    natural = sum(
        observed_counts(con, t)["missing_user_id_after_identify"] for t in ("tracks", "pages")
    )
    assert faults["missing_user_id_after_identify"]["rows"] == natural
    planted_calls = {
        name: faults[name]["calls"]
        for name in CALL_FAULTS
        if name != "missing_user_id_after_identify"
    }
    assert planted_calls == dict.fromkeys(planted_calls, 0)
    natural_calls = recount_calls(con)["missing_user_id_after_identify"]
    assert manifest_calls(faults["missing_user_id_after_identify"]) == natural_calls
    assert faults["volume_drop"]["date"] is None and faults["volume_spike"]["date"] is None
    assert faults["new_property"]["first_date"] is None
    assert _scalar(con, "select count(*) from integration_connected where plan_tier is null") == 0
    assert _scalar(con, "select count(*) from tracks where event = 'debug_ping'") == 0


def test_event_properties_look_real(clean: tuple[Path, dict[str, Any]]) -> None:
    root, _ = clean
    con = _connect(root)
    # Ratings rate a search of the same device, made shortly before.
    ratings, matched, soon = con.execute(
        """select count(*), count(s.id),
                  count(*) filter (where r."timestamp" > s."timestamp"
                                   and r."timestamp" <= s."timestamp" + interval 2 minute
                                   and r.anonymous_id = s.anonymous_id)
           from search_rated r left join document_searched s on s.id = r.search_id"""
    ).fetchone() or (0, 0, 0)
    assert ratings == matched == soon > 0
    searches = _scalar(con, "select count(*) from document_searched")
    assert 0.05 * searches < ratings < 0.25 * searches
    assert _scalar(con, "select count(*) from document_searched where results_count = 0") > 0
    assert (
        _scalar(
            con, "select count(*) from document_searched where results_count = 0 and result_clicked"
        )
        == 0
    )
    # Votes and comments come from signed-up users, on a shared set of posts.
    assert _scalar(con, "select count(*) from post_voted where user_id is null") == 0
    assert _scalar(con, "select count(distinct post_id) < 0.8 * count(*) from post_voted")
    assert _scalar(con, "select count(*) from comment_posted where user_id is null") == 0
    assert _scalar(con, "select count(*) from integration_connected") < 0.2 * searches
    # Orders: the shop's order id and revenue.
    mismatched = _scalar(
        con,
        """select count(*) from order_completed e left join orders o on o.order_id = e.order_id
           where o.order_id is null or cast(e.revenue as decimal(12, 2)) <> o.revenue""",
    )
    assert mismatched == 0
    currencies = {
        r[0] for r in con.execute("select distinct currency from order_completed").fetchall()
    }
    assert currencies == {"USD", "EUR", "GBP"}


# --- configuration errors ------------------------------------------------------------------------
def test_bad_configuration_is_explained(tmp_path: Path) -> None:
    with pytest.raises(GenerateError, match="exactly one of"):
        generate(GenConfig(), tmp_path, progress=False)
    with pytest.raises(GenerateError, match="unknown hazard nope"):
        HazardRates().with_overrides({"nope": 0.1})
    with pytest.raises(GenerateError, match="add up to"):
        generate(
            replace(BASE, hazards=HazardRates(null_timestamp=0.4, missing_id=0.4)),
            tmp_path,
            progress=False,
        )


# --- command line and loaders --------------------------------------------------------------------
def test_cli_tracking_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tracking-plan", "--out", str(tmp_path / "plan.csv")]) == 0
    assert (tmp_path / "plan.csv").read_text() == TRACKING_PLAN_CSV.read_text()
    capsys.readouterr()
    assert main(["tracking-plan"]) == 0
    assert capsys.readouterr().out == TRACKING_PLAN_CSV.read_text()
    assert main(["tracking-plan", "--out", str(tmp_path / "missing" / "plan.csv")]) == 1
    assert "choose another --out" in capsys.readouterr().err


def test_cli_generate_and_load_duckdb(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gen"
    db = tmp_path / "db" / "growth.duckdb"
    assert main(["generate", "--out", str(out), "--users", "800", "--days", "7", "--quiet",
                 "--hazard", "duplicate=0.05"]) == 0  # fmt: skip
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["hazard_rates"]["duplicate"] == 0.05
    assert main(["load", "--from", str(out), "--duckdb", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    for table in RAW_TABLES:
        rows = _scalar(con, f"select count(*) from {table.schema}.{table.name}")
        assert rows == manifest["tables"][table.key]["rows"], table.key
    types = con.execute(
        """select column_name, data_type from information_schema.columns
           where table_schema = 'segment' and table_name = 'document_searched'
             and column_name in ('results_count', 'result_clicked') order by 1"""
    ).fetchall()
    assert types == [("result_clicked", "BOOLEAN"), ("results_count", "DOUBLE")]
    # Loading again replaces the tables.
    con.close()
    assert main(["load", "--from", str(out), "--duckdb", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)
    orders = _scalar(con, "select count(*) from shop.orders")
    assert orders == manifest["tables"]["shop.orders"]["rows"]
    con.close()
    capsys.readouterr()
    assert main(["load", "--from", str(tmp_path / "nothing"), "--duckdb", str(db)]) == 1
    err = capsys.readouterr().err
    assert "growthkit generate --out" in err and "not a directory" in err


def test_load_postgres(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres: ThrowawayPostgres
) -> None:
    server = postgres
    out = tmp_path / "gen"
    manifest = generate(
        replace(BASE, visitors=600, days=7), out, progress=False, log=lambda _: None
    )
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    assert main(["load", "--from", str(out), "--postgres", "--quiet"]) == 0
    import psycopg2

    with psycopg2.connect("") as conn, conn.cursor() as cur:
        for table in RAW_TABLES:
            cur.execute(f"select count(*) from {table.schema}.{table.name}")
            row = cur.fetchone()
            assert row is not None and row[0] == manifest["tables"][table.key]["rows"]
        cur.execute(
            """select data_type from information_schema.columns
               where table_schema = 'segment' and table_name = 'tracks'
               and column_name = 'received_at'"""
        )
        assert cur.fetchone() == ("timestamp with time zone",)
        cur.execute(
            """select column_name, data_type from information_schema.columns
               where table_schema = 'segment' and table_name = 'document_searched'
                 and column_name in ('results_count', 'result_clicked') order by 1"""
        )
        assert cur.fetchall() == [
            ("result_clicked", "boolean"),
            ("results_count", "double precision"),
        ]
        cur.execute(
            """select count(*), count(*) filter (where result_clicked), sum(results_count)
               from segment.document_searched"""
        )
        pg_searches = cur.fetchone()
        # Same values as DuckDB reads from the Parquet: text with quotes, times in UTC.
        cur.execute(
            """select count(*), count(distinct id),
                      (extract(epoch from min(received_at)) * 1000)::bigint,
                      count(*) filter (where context_campaign_name like '%"%')
               from segment.pages"""
        )
        pg_row = cur.fetchone()
    con = _connect(out)
    duck_row = con.execute(
        """select count(*), count(distinct id), epoch_ms(min(received_at)),
                  count(*) filter (where context_campaign_name like '%"%')
           from pages"""
    ).fetchone()
    assert pg_row == duck_row
    duck_searches = con.execute(
        """select count(*), count(*) filter (where result_clicked), sum(results_count)
           from document_searched"""
    ).fetchone()
    assert pg_searches == duck_searches
