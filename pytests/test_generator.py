"""Tests of the synthetic data generator, its loaders and the command line.

The hazard counts in manifest.json are compared with counts computed independently here, in
DuckDB SQL over the Parquet files, from the definitions of the hazards (not from the
generator's internals).
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

from growthkit.cli import main
from growthkit.gen_contract import RAW_TABLES, RawTable
from growthkit.generate import GenConfig, GenerateError, HazardRates, generate, parquet_path
from growthkit.pgserver import ThrowawayPostgres

BASE = GenConfig(visitors=5_000, days=30, seed=11, start_date=date(2024, 3, 1))
CLEAN = replace(BASE, seed=12, hazards=HazardRates.none())
SEGMENT = ("tracks", "pages", "identifies", "groups", "experiment_viewed")
WITH_CLIENT_TIMES = ("tracks", "pages", "identifies", "groups")

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


def observed_counts(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, int]:
    """Hazard counts of one raw table, computed from the data alone."""
    src = f"""(select *, row_number() over (partition by id order by received_at) as delivery
               from {table})"""
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
    if table in ("tracks", "pages", "identifies"):
        exprs["bot_user_agent"] = (
            f"count(*) filter (where regexp_matches(context_user_agent, '{BOT_PATTERN}'))"
        )
    if table == "tracks":
        exprs["event_name_variant"] = "count(*) filter (where event_text not like '% %')"
        exprs["utm_url_only"] = """count(*) filter (where context_page_url like '%utm_%'
            and context_campaign_source is null)"""
    if table == "pages":
        exprs["utm_url_only"] = (
            "count(*) filter (where url like '%utm_%' and context_campaign_source is null)"
        )
    if table == "identifies":
        exprs["internal_email"] = "count(*) filter (where lower(email) like '%@growthco.example')"
        exprs["mixed_case_email"] = "count(*) filter (where email <> lower(email))"
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


def test_zero_hazards_mode_has_none(clean: tuple[Path, dict[str, Any]]) -> None:
    root, manifest = clean
    con = _connect(root)
    for table in SEGMENT:
        observed = observed_counts(con, table)
        assert {k: v for k, v in observed.items() if k != "rows" and v} == {}, table
        m = manifest["tables"][f"segment.{table}"]
        assert {k: v for k, v in m.items() if isinstance(v, int) and k != "rows" and v} == {}
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
