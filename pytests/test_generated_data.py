"""Staging on generated data with every hazard injected, on each engine.

The generator injects each hazard an exact number of times and records the counts in its
manifest; these tests build the project on that data and check that the row accounting, the
quarantine reasons and the time rules land on exactly those counts. The manifest is the
independent reference: it is computed by the generator from what it injected, not by SQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import SEGMENT_TABLES, GeneratedBuild

from growthkit.gen_contract import EVENT_TABLES, TRACKS
from growthkit.generate import parquet_path


def _expected_accounting(manifest: dict[str, Any]) -> dict[str, tuple[int, int, int, int]]:
    """(raw, staged, duplicates, quarantined) per table, from the injected counts alone."""
    expected = {}
    for table in SEGMENT_TABLES:
        counts = manifest["tables"][f"segment.{table}"]
        quarantined = counts["missing_id"] + counts["missing_identity"] + counts["all_times_null"]
        duplicates = counts["duplicate_id"]
        rows = counts["rows"]
        expected[f"segment.{table}"] = (
            rows,
            rows - duplicates - quarantined,
            duplicates,
            quarantined,
        )
    orders = manifest["tables"]["shop.orders"]
    duplicates, quarantined = orders["duplicate_order_id"], orders["null_user_id"]
    expected["shop.orders"] = (
        orders["rows"],
        orders["rows"] - duplicates - quarantined,
        duplicates,
        quarantined,
    )
    spend_rows = manifest["tables"]["marketing.ad_spend"]["rows"]
    expected["marketing.ad_spend"] = (spend_rows, spend_rows, 0, 0)
    return expected


def test_every_hazard_was_injected(generated: tuple[Path, dict[str, Any]]) -> None:
    """Guard for the tests below: each hazard they check occurs in the data."""
    _, manifest = generated
    for table in SEGMENT_TABLES:
        counts = manifest["tables"][f"segment.{table}"]
        for hazard in ("duplicate_id", "missing_id", "missing_identity", "all_times_null"):
            assert counts[hazard] > 0, f"no {hazard} in segment.{table}"
    assert manifest["tables"]["shop.orders"]["null_user_id"] > 0
    assert manifest["tables"]["shop.orders"]["duplicate_order_id"] > 0


def test_row_accounting_matches_injected_counts(generated_build: GeneratedBuild) -> None:
    relation = generated_build.run.relation("stg_audit__row_accounting")
    rows = generated_build.engine.warehouse.query(
        f"select source_table, raw_rows, staged_rows, duplicate_rows, quarantined_rows "
        f"from {relation}"
    )
    actual = {row[0]: tuple(int(value) for value in row[1:]) for row in rows}
    assert actual == _expected_accounting(generated_build.manifest)


def test_quarantine_reasons_match_injected_counts(generated_build: GeneratedBuild) -> None:
    relation = generated_build.run.relation("stg_audit__quarantined_rows")
    rows = generated_build.engine.warehouse.query(
        f"select source_table, quarantine_reason, count(*) from {relation} group by 1, 2"
    )
    actual = {(row[0], row[1]): int(row[2]) for row in rows}
    expected: dict[tuple[str, str], int] = {}
    for table in SEGMENT_TABLES:
        counts = generated_build.manifest["tables"][f"segment.{table}"]
        expected[(f"segment.{table}", "missing_message_id")] = counts["missing_id"]
        expected[(f"segment.{table}", "missing_identity")] = counts["missing_identity"]
        expected[(f"segment.{table}", "no_usable_time")] = counts["all_times_null"]
    expected[("shop.orders", "missing_user_id")] = generated_build.manifest["tables"][
        "shop.orders"
    ]["null_user_id"]
    assert actual == {key: value for key, value in expected.items() if value}


@pytest.mark.parametrize("table", SEGMENT_TABLES)
def test_time_rules_match_injected_counts(generated_build: GeneratedBuild, table: str) -> None:
    """Null timestamps use Segment's correction (experiment_viewed has no correction inputs,
    so received_at); rows with no client times use received_at; future clocks are corrected."""
    counts = generated_build.manifest["tables"][f"segment.{table}"]
    model = f"stg_segment__{table}"
    if table == "experiment_viewed":
        expected_sources = {
            "corrected": 0,
            "received_at": counts["null_timestamp"] + counts["null_client_times"],
        }
    else:
        expected_sources = {
            "corrected": counts["null_timestamp"],
            "received_at": counts["null_client_times"],
        }
    actual_sources = {
        source: generated_build.count(model, f"event_at_source = '{source}'")
        for source in expected_sources
    }
    assert actual_sources == expected_sources
    assert generated_build.count(model, "is_future_clock_corrected") == counts["future_clock"]
    assert generated_build.count(model, "event_at > received_at + interval '60 minutes'") == 0


def test_event_properties_are_every_kept_event_times_its_properties(
    generated: tuple[Path, dict[str, Any]], generated_build: GeneratedBuild
) -> None:
    """fct_event_properties has, per per-event table, one row per kept event (in fct_events)
    and property column: the property columns counted from the generator's contract (every
    column beyond tracks'), the per-event calls from the generated files."""
    path, _ = generated
    warehouse = generated_build.engine.warehouse
    kept = {row[0] for row in warehouse.query(
        f"select event_id from {generated_build.run.relation('fct_events')}"
    )}  # fmt: skip
    rows_per_event = dict(warehouse.query(
        f"select event_id, count(*) from {generated_build.run.relation('fct_event_properties')} "
        "group by event_id"
    ))  # fmt: skip
    common = set(TRACKS.column_names)
    con = duckdb.connect()
    total = 0
    for table in EVENT_TABLES:
        property_columns = [name for name in table.column_names if name not in common]
        ids = {row[0] for row in con.execute(
            f"select distinct trim(id) from read_parquet('{parquet_path(path, table)}') "
            "where trim(id) <> ''"
        ).fetchall()}  # fmt: skip
        kept_calls = ids & kept
        assert kept_calls, f"no kept event in {table.key}: the count would prove little"
        actual = sum(rows_per_event.get(event_id, 0) for event_id in ids)
        assert actual == len(kept_calls) * len(property_columns), table.key
        total += actual
    assert sum(rows_per_event.values()) == total


#: The violation types of agg_tracking_plan_violations_daily, each planted by the generator.
TRACKING_FAULTS = (
    "unplanned_event",
    "non_standard_event_name",
    "missing_user_id_after_identify",
    "unplanned_property",
    "missing_required_property",
    "wrong_type",
    "value_not_allowed",
)


def test_tracking_plan_violations_match_planted_calls(generated_build: GeneratedBuild) -> None:
    """Every planted tracking fault is found, day by day, exactly as many calls as the
    generator counted (manifest calls_by_date: usable calls, one per message id)."""
    rows = generated_build.engine.warehouse.query(
        "select violation_type, cast(event_date as varchar), sum(violations) "
        f"from {generated_build.run.relation('agg_tracking_plan_violations_daily')} "
        "group by 1, 2"
    )
    actual: dict[str, dict[str, int]] = {}
    for violation_type, event_date, violations in rows:
        actual.setdefault(violation_type, {})[event_date] = int(violations)
    faults = generated_build.manifest["tracking_faults"]
    expected = {name: faults[name]["calls_by_date"] for name in TRACKING_FAULTS}
    assert all(sum(by_date.values()) > 0 for by_date in expected.values()), expected
    assert actual == expected


def test_tracking_plan_violations_per_property(generated_build: GeneratedBuild) -> None:
    """The property rules name the property the generator broke, with its count."""
    rows = generated_build.engine.warehouse.query(
        "select violation_type, property_name, sum(violations) "
        f"from {generated_build.run.relation('agg_tracking_plan_violations_daily')} "
        "where property_name is not null group by 1, 2"
    )
    actual = {(row[0], row[1]): int(row[2]) for row in rows}
    faults = generated_build.manifest["tracking_faults"]
    expected = {
        (name, entry["property"]): entry["calls"]
        for name in TRACKING_FAULTS
        for entry in faults[name]["by"]
        if entry.get("property") and entry["calls"]
    }
    assert actual == expected
