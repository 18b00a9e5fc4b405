"""Tracking QA marts (models/marts/tracking) on each engine.

- ``fct_raw_schema_changes``: raw tables created by hand in a database of their own, changed
  between runs (a column added, one dropped, a type changed, a per-event table created, then
  dropped, a dropped column added back); after each run the model holds exactly the rows
  written below by hand, and a run without change adds none.
- ``agg_event_volume_daily`` on generated data: the generator plants a day on which Report
  Created nearly vanishes and one on which Button Clicked is sent ~10x
  (``manifest["tracking_faults"]``). Among those two events, exactly these two (event, date)
  pairs are anomalies, with the sign of z of a drop and of a spike, and the volume of each
  agrees with a count of fct_events by plain SQL and with the generator's raw counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from conftest import SOURCE_VARS, GeneratedBuild, own_database

from growthkit.dbt_runner import DbtRun, Engine
from growthkit.gen_vocab import snake

#: Column types used below, per engine, and the names the model records for them.
TYPES = {
    "duckdb": {"text": "varchar", "ts": "timestamp", "money": "decimal(12,2)",
               "double": "double"},
    "postgres": {"text": "text", "ts": "timestamp with time zone", "money": "numeric(12,2)",
                 "double": "double precision"},
}  # fmt: skip

#: The raw schemas of the schema-change scenario (marketing has no table at all).
SCHEMA_VARS = {
    "segment_schema": "sc_segment",
    "shop_schema": "sc_shop",
    "marketing_schema": "sc_marketing",
}


def _changes(engine: Engine, run: DbtRun) -> list[tuple[Any, ...]]:
    """The rows of fct_raw_schema_changes, noticed_at as it is, sorted."""
    rows = engine.warehouse.query(
        "select noticed_at, source_table, column_name, change_type, data_type, "
        "previous_data_type, is_table_missing "
        f"from {run.relation('fct_raw_schema_changes')}"
    )
    return sorted(rows, key=lambda row: tuple(str(value) for value in row))


def _run_end(run: DbtRun) -> datetime:
    """When the run wrote its results (UTC, naive)."""
    assert run.run_results is not None
    generated_at = run.run_results["metadata"]["generated_at"]
    return datetime.fromisoformat(generated_at.replace("Z", "+00:00")).replace(tzinfo=None)


def test_raw_schema_changes_follow_alters(engine: Engine) -> None:
    scenario = own_database(engine, "schema_changes")
    t = TYPES[engine.name]
    execute = scenario.warehouse.execute
    for schema in SCHEMA_VARS.values():
        execute(f"create schema {schema}")
    execute(f"create table sc_segment.tracks (id {t['text']}, event {t['text']}, "
            f"received_at {t['ts']})")  # fmt: skip
    execute(f"create table sc_shop.orders (order_id {t['text']}, revenue {t['money']})")

    def run() -> DbtRun:
        return scenario.dbt("run", "--select", "fct_raw_schema_changes", vars=SCHEMA_VARS)

    # Run 1, the first build: every existing column; missing tables record nothing.
    runs = [run()]
    first = [
        ("segment.tracks", "id", "present_at_first_build", t["text"], None, False),
        ("segment.tracks", "event", "present_at_first_build", t["text"], None, False),
        ("segment.tracks", "received_at", "present_at_first_build", t["ts"], None, False),
        ("shop.orders", "order_id", "present_at_first_build", t["text"], None, False),
        ("shop.orders", "revenue", "present_at_first_build", t["money"], None, False),
    ]
    # Run 2: nothing changed, nothing written.
    runs.append(run())
    after_two = _changes(scenario, runs[-1])

    # Run 3: a column added, one dropped, a type changed, a registered per-event table created.
    execute(f"alter table sc_segment.tracks add column context_ip {t['text']}")
    execute("alter table sc_segment.tracks drop column event")
    if engine.name == "postgres":
        execute("alter table sc_shop.orders alter column revenue type double precision")
    else:
        execute("alter table sc_shop.orders alter column revenue set data type double")
    execute(f"create table sc_segment.document_searched (id {t['text']}, query {t['text']})")
    runs.append(run())
    third = [
        ("segment.tracks", "context_ip", "appeared", t["text"], None, False),
        ("segment.tracks", "event", "disappeared", None, t["text"], False),
        ("shop.orders", "revenue", "type_changed", t["double"], t["money"], False),
        ("segment.document_searched", "id", "appeared", t["text"], None, False),
        ("segment.document_searched", "query", "appeared", t["text"], None, False),
    ]

    # Run 4: the per-event table dropped (its columns disappear, the table is missing); the
    # dropped column comes back.
    execute("drop table sc_segment.document_searched")
    execute(f"alter table sc_segment.tracks add column event {t['text']}")
    runs.append(run())
    fourth = [
        ("segment.document_searched", "id", "disappeared", None, t["text"], True),
        ("segment.document_searched", "query", "disappeared", None, t["text"], True),
        ("segment.tracks", "event", "appeared", t["text"], None, False),
    ]
    # Run 5: nothing changed again.
    runs.append(run())
    rows = _changes(scenario, runs[-1])

    # Each change is noticed at the start of the run that saw it: after the previous run
    # ended, before this one wrote its results.
    noticed = sorted({row[0] for row in rows})
    assert len(noticed) == 3, noticed
    for at, index in zip(noticed, (0, 2, 3), strict=True):
        ended = _run_end(runs[index])
        previous_end = _run_end(runs[index - 1]) if index else datetime.min
        assert previous_end <= at.replace(tzinfo=None) <= ended, (at, previous_end, ended)
    run_of = dict(zip(noticed, (1, 3, 4), strict=True))
    found = sorted((run_of[row[0]], *row[1:]) for row in rows)
    expected = sorted(
        [(1, *row) for row in first] + [(3, *row) for row in third] + [(4, *row) for row in fourth]
    )
    assert found == expected
    assert after_two == sorted(row for row in rows if row[0] == noticed[0])


# -- agg_event_volume_daily on generated data ---------------------------------------------------

#: The generated data cover 21 days: the planted spike is on day 7, the drop on day 14. A
#: 6-day window judges both with a full history that holds neither the other planted day nor
#: the first days; the defaults (28 days, |z| >= 3) are for real data. Report Created is small
#: and growing in these data (1 to 48 a day): with 6 days its drop has z -4.7 and its largest
#: other |z| is 2.8 (windows of 3 to 5 or 7 days give it a false anomaly or miss the drop).
VOLUME_VARS = {**SOURCE_VARS, "event_volume_trailing_days": 6, "event_volume_anomaly_z": 3}


@pytest.fixture(scope="module")
def volume(generated_build: GeneratedBuild) -> tuple[GeneratedBuild, DbtRun]:
    """agg_event_volume_daily rebuilt on the generated data with VOLUME_VARS."""
    run = generated_build.engine.dbt("run", "--select", "agg_event_volume_daily", vars=VOLUME_VARS)
    return generated_build, run


def test_planted_volume_faults_are_the_anomalies(volume: tuple[GeneratedBuild, DbtRun]) -> None:
    build, run = volume
    faults = build.manifest["tracking_faults"]
    drop, spike = faults["volume_drop"], faults["volume_spike"]
    planted = {
        (snake(drop["event"]), drop["date"]): "drop",
        (snake(spike["event"]), spike["date"]): "spike",
    }
    names = ", ".join(f"'{name}'" for name, _ in planted)
    rows = build.engine.warehouse.query(
        "select event_name, cast(event_date as varchar), events, z_score, is_anomaly "
        f"from {run.relation('agg_event_volume_daily')} where event_name in ({names})"
    )
    anomalies = {(name, day): z for name, day, _, z, is_anomaly in rows if is_anomaly}
    assert set(anomalies) == set(planted), (anomalies, planted)
    for key, kind in planted.items():
        z = anomalies[key]
        assert z is not None and (z <= -3 if kind == "drop" else z >= 3), (key, z)

    # The volume on each planted day, against fct_events counted by plain SQL, and against
    # the generator's raw rows (which include duplicates, bots and internal users, so only
    # their proportions compare): the planted day is the event's lowest (drop) or highest
    # (spike) day in both, and its share of the event's median day is alike.
    volumes = {(name, day): events for name, day, events, _, _ in rows}
    events_relation = build.run.relation("fct_events")
    for (name, day), kind in planted.items():
        counted = build.engine.warehouse.scalar(
            f"select count(*) from {events_relation} "
            f"where event_name = '{name}' and event_date = cast('{day}' as date)"
        )
        assert volumes[(name, day)] == counted, (name, day)
        fault = drop if kind == "drop" else spike
        raw = fault["daily_rows"]
        assert raw[day] == fault["rows_on_date"]
        kept = {d: n for (event, d), n in volumes.items() if event == name and d in raw}
        pick = min if kind == "drop" else max
        assert pick(raw, key=raw.__getitem__) == day
        assert pick(kept, key=kept.__getitem__) == day, kept
        raw_share = raw[day] / sorted(raw.values())[len(raw) // 2]
        kept_share = kept[day] / sorted(kept.values())[len(kept) // 2]
        assert abs(kept_share - raw_share) <= 0.5 * max(raw_share, 0.05), (kept_share, raw_share)
