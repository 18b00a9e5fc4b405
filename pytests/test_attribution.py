"""Attribution marts on generated data, against an independent reference, on each engine.

The reference reads only the core marts (fct_sessions, fct_orders, fct_events), the ad spend
staging view and the channel_rules seed file, and recomputes in plain Python and numpy:
every rule's credits per conversion and touch, the Markov removal effects with an exact
absorbing-chain solver (fundamental matrix, ``numpy.linalg.solve``), touches-to-conversion
medians and the weekly by-channel report with spend. The SQL marts must agree to 1e-6.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from conftest import GeneratedBuild

from growthkit.dbt_runner import PROJECT_ROOT

LOOKBACK = timedelta(days=30)  # var attribution_lookback_days
HALF_LIFE_DAYS = 7.0  # var attribution_time_decay_half_life_days
END_SHARE = 0.4  # var attribution_position_based_end_share
RULES = ("first_touch", "last_touch", "last_non_direct", "linear", "position_based", "time_decay")
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Session:
    session_id: str
    user_key: str
    channel: str
    started_at: datetime


@dataclass(frozen=True)
class Conversion:
    conversion_type: str
    conversion_id: str
    user_key: str
    revenue: float
    is_first_order: bool
    converted_at: datetime


@dataclass
class Reference:
    sessions: dict[str, list[Session]]  # by user_key, in (started_at, session_id) order
    conversions: list[Conversion]
    # (conversion_type, conversion_id, session_id or None) -> rule -> credit
    credits: dict[tuple[str, str, str | None], dict[str, float]]
    channels_of: dict[tuple[str, str, str | None], str]


def _rule_credits(touches: list[Session], converted_at: datetime) -> list[dict[str, float]]:
    """The six rules for one conversion's touches (already in order), written from the issue."""
    n = len(touches)
    ages = [(converted_at - t.started_at).total_seconds() / 86400 for t in touches]
    weights = [2.0 ** (-age / HALF_LIFE_DAYS) for age in ages]
    non_direct = [i for i, t in enumerate(touches) if t.channel != "direct"]
    last_non_direct = non_direct[-1] if non_direct else n - 1
    credits = []
    for i in range(n):
        if n == 1:
            position = 1.0
        elif n == 2:
            position = 0.5
        elif i in (0, n - 1):
            position = END_SHARE
        else:
            position = (1 - 2 * END_SHARE) / (n - 2)
        credits.append(
            {
                "first_touch": float(i == 0),
                "last_touch": float(i == n - 1),
                "last_non_direct": float(i == last_non_direct),
                "linear": 1.0 / n,
                "position_based": position,
                "time_decay": weights[i] / sum(weights),
            }
        )
    return credits


def _query(build: GeneratedBuild, model: str, columns: str, where: str = "true") -> list[Any]:
    relation = build.run.relation(model)
    return build.engine.warehouse.query(f"select {columns} from {relation} where {where}")


@pytest.fixture(scope="module")
def reference(generated_build: GeneratedBuild) -> Reference:
    sessions: dict[str, list[Session]] = defaultdict(list)
    for row in _query(generated_build, "fct_sessions", "session_id, user_key, channel, started_at"):
        sessions[row[1]].append(Session(*row))
    for user_sessions in sessions.values():
        user_sessions.sort(key=lambda s: (s.started_at, s.session_id))
    conversions = [
        Conversion("order", row[0], row[1], float(row[2]), bool(row[3]), row[4])
        for row in _query(
            generated_build,
            "fct_orders",
            "order_id, user_key, revenue, is_first_order, ordered_at",
            "is_completed",
        )
    ] + [
        Conversion("signup", row[0], row[1], 0.0, False, row[2])
        for row in _query(
            generated_build,
            "fct_events",
            "event_id, user_key, event_at",
            "event_name = 'signed_up'",
        )
    ]
    credits: dict[tuple[str, str, str | None], dict[str, float]] = {}
    channels_of: dict[tuple[str, str, str | None], str] = {}
    for conv in conversions:
        touches = [
            s
            for s in sessions.get(conv.user_key, [])
            if conv.converted_at - LOOKBACK <= s.started_at <= conv.converted_at
        ]
        if not touches:
            key = (conv.conversion_type, conv.conversion_id, None)
            credits[key] = dict.fromkeys(RULES, 1.0)
            channels_of[key] = "(none)"
            continue
        for touch, touch_credits in zip(
            touches, _rule_credits(touches, conv.converted_at), strict=True
        ):
            key = (conv.conversion_type, conv.conversion_id, touch.session_id)
            credits[key] = touch_credits
            channels_of[key] = touch.channel
    return Reference(dict(sessions), conversions, credits, channels_of)


def test_reference_data_covers_every_case(reference: Reference) -> None:
    """Guard: the generated data has each kind of conversion the checks below rely on."""
    touches_per_conversion: dict[tuple[str, str], int] = defaultdict(int)
    for conversion_type, conversion_id, session_id in reference.credits:
        touches_per_conversion[(conversion_type, conversion_id)] += session_id is not None
    counts = list(touches_per_conversion.values())
    # (Conversions with no touch in the window are rare in 21 days of data: the unit tests
    # cover them.)
    assert sum(1 for c in counts if c == 2) > 0, "no conversion with two touches"
    assert sum(1 for c in counts if c >= 3) > 0, "no conversion with three or more touches"
    types = {conversion_type for conversion_type, _ in touches_per_conversion}
    assert types == {"order", "signup"}


def test_rule_credits_match_reference(
    generated_build: GeneratedBuild, reference: Reference
) -> None:
    rows = _query(
        generated_build,
        "fct_attribution_touches",
        "conversion_type, conversion_id, session_id, channel, "
        + ", ".join(f"{rule}_credit" for rule in RULES),
    )
    actual = {(r[0], r[1], r[2]): (r[3], dict(zip(RULES, r[4:], strict=True))) for r in rows}
    assert len(rows) == len(actual)
    assert set(actual) == set(reference.credits)
    worst = 0.0
    for key, expected in reference.credits.items():
        channel, got = actual[key]
        assert channel == reference.channels_of[key], key
        for rule in RULES:
            worst = max(worst, abs(got[rule] - expected[rule]))
    assert worst < TOLERANCE


# -- Markov -----------------------------------------------------------------------------------


def _journeys(reference: Reference) -> list[tuple[list[str], bool]]:
    """(channels, converted) per user: sessions up to the first order, or all of them."""
    first_order_at = {c.user_key: c.converted_at for c in reference.conversions if c.is_first_order}
    journeys = []
    for user_key, sessions in reference.sessions.items():
        cutoff = first_order_at.get(user_key)
        channels = [s.channel for s in sessions if cutoff is None or s.started_at <= cutoff]
        if channels:
            journeys.append((channels, cutoff is not None))
    return journeys


def _removal_effects(
    journeys: list[tuple[list[str], bool]], self_loops: bool
) -> tuple[float, dict[str, float]]:
    """Exact first-order absorbing chain: P(conversion) and each channel's removal effect."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for channels, converted in journeys:
        path = (
            channels
            if self_loops
            else [c for i, c in enumerate(channels) if i == 0 or c != channels[i - 1]]
        )
        states = ["(start)", *path, "(conversion)" if converted else "(null)"]
        for a, b in pairwise(states):
            counts[(a, b)] += 1
    channels_all = sorted({c for channels, _ in journeys for c in channels})

    def conversion_probability(removed: str | None) -> float:
        transient = ["(start)", *(c for c in channels_all if c != removed)]
        index = {s: i for i, s in enumerate(transient)}
        q = np.zeros((len(transient), len(transient)))
        r = np.zeros((len(transient), 2))  # columns: conversion, null
        totals: dict[str, int] = defaultdict(int)
        for (a, _), n in counts.items():
            totals[a] += n
        for (a, b), n in counts.items():
            if a == removed:
                continue
            p = n / totals[a]
            if b == "(conversion)":
                r[index[a], 0] += p
            elif b == "(null)" or b == removed:
                r[index[a], 1] += p
            else:
                q[index[a], index[b]] += p
        absorption = np.linalg.solve(np.eye(len(transient)) - q, r)  # (I - Q)^-1 R
        return float(absorption[index["(start)"], 0])

    full = conversion_probability(None)
    return full, {c: 1 - conversion_probability(c) / full for c in channels_all}


def test_markov_removal_effects_match_exact_solver(
    generated_build: GeneratedBuild, reference: Reference
) -> None:
    journeys = _journeys(reference)
    # Guard: the chain has cycles (a channel left and entered again), which the SQL solves by
    # repeated squaring, and both outcomes.
    assert any(
        len(set(ch)) < len([c for i, c in enumerate(ch) if i == 0 or c != ch[i - 1]])
        for ch, _ in journeys
    )
    assert {converted for _, converted in journeys} == {True, False}
    full, effects = _removal_effects(journeys, self_loops=False)
    # Keeping repeated consecutive channels (self-loops) changes no absorption probability.
    full_loops, effects_loops = _removal_effects(journeys, self_loops=True)
    assert abs(full - full_loops) < 1e-12
    assert all(abs(effects[c] - effects_loops[c]) < 1e-12 for c in effects)

    total_effect = sum(effects.values())
    has_journey = {user for user, sessions in reference.sessions.items() if sessions}
    first_orders = [c for c in reference.conversions if c.is_first_order]
    with_journey = [
        c
        for c in first_orders
        if c.user_key in has_journey
        and reference.sessions[c.user_key][0].started_at <= c.converted_at
    ]
    rows = _query(
        generated_build,
        "agg_markov_removal_effects",
        "channel, chain_conversion_probability, removal_effect, removal_share, "
        "credited_conversions, credited_revenue",
    )
    actual = {r[0]: r[1:] for r in rows}
    without_journey = len(first_orders) - len(with_journey)
    assert set(actual) == {*effects, *(["(none)"] if without_journey else [])}
    for channel, effect in effects.items():
        chain_p, got_effect, share, conversions, revenue = actual[channel]
        assert abs(chain_p - full) < TOLERANCE
        assert abs(got_effect - effect) < TOLERANCE, channel
        assert abs(share - effect / total_effect) < TOLERANCE, channel
        assert abs(conversions - len(with_journey) * effect / total_effect) < TOLERANCE
        expected_revenue = sum(c.revenue for c in with_journey) * effect / total_effect
        assert abs(revenue - expected_revenue) < TOLERANCE * max(1.0, expected_revenue)
    if without_journey:
        assert actual["(none)"][3] == without_journey


# -- touches to conversion, by channel ---------------------------------------------------------


def test_touches_to_conversion_match_reference(
    generated_build: GeneratedBuild, reference: Reference
) -> None:
    days: dict[tuple[str, int], list[float]] = defaultdict(list)
    conversions: dict[tuple[str, int], int] = defaultdict(int)
    for conv in reference.conversions:
        touches = [
            s
            for s in reference.sessions.get(conv.user_key, [])
            if conv.converted_at - LOOKBACK <= s.started_at <= conv.converted_at
        ]
        key = (conv.conversion_type, len(touches))
        conversions[key] += 1
        if touches:
            days[key].append((conv.converted_at - touches[0].started_at).total_seconds() / 86400)
    rows = _query(
        generated_build,
        "agg_touches_to_conversion",
        "conversion_type, touches_in_window, conversions, median_days_first_touch_to_conversion",
    )
    actual = {(r[0], int(r[1])): (int(r[2]), r[3]) for r in rows}
    assert set(actual) == set(conversions)
    for key, count in conversions.items():
        got_count, got_median = actual[key]
        assert got_count == count, key
        if key[1] == 0:
            assert got_median is None
        else:
            assert abs(got_median - float(np.median(days[key]))) < TOLERANCE, key


def _spend_channel(utm_source: str | None, utm_medium: str | None) -> str:
    """The channel_rules seed applied in Python: lowest matching rule, referrer host null."""
    with (PROJECT_ROOT / "seeds" / "config" / "channel_rules.csv").open() as handle:
        rules = sorted(csv.DictReader(handle), key=lambda rule: int(rule["rule_number"]))
    for rule in rules:
        conditions = [
            (rule["utm_source_regex"], utm_source),
            (rule["utm_medium_regex"], utm_medium),
            (rule["referrer_host_regex"], None),
        ]
        # A channel written as a placeholder ({utm_source}, {utm_medium}) is that field's value,
        # and the rule matches only when the field is present.
        fields = {"{utm_source}": utm_source, "{utm_medium}": utm_medium}
        channel = fields.get(rule["channel"], rule["channel"])
        if channel is not None and all(
            not pattern or (value is not None and re.search(pattern, value))
            for pattern, value in conditions
        ):
            return channel
    return "direct"


def _monday(moment: date) -> date:
    day = moment.date() if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def test_by_channel_matches_reference(
    generated_build: GeneratedBuild, reference: Reference
) -> None:
    expected: dict[tuple[str, str, str, date], list[float]] = defaultdict(lambda: [0.0, 0.0])
    conversion_by_key = {(c.conversion_type, c.conversion_id): c for c in reference.conversions}
    for (conversion_type, conversion_id, _), rule_credits in reference.credits.items():
        conv = conversion_by_key[(conversion_type, conversion_id)]
        channel = reference.channels_of[(conversion_type, conversion_id, _)]
        for rule, credit in rule_credits.items():
            cell = expected[(conversion_type, rule, channel, _monday(conv.converted_at))]
            cell[0] += credit
            cell[1] += credit * conv.revenue
    spend: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for utm_source, utm_medium, amount, spend_date in _query(
        generated_build, "stg_marketing__ad_spend", "utm_source, utm_medium, spend, spend_date"
    ):
        spend[(_spend_channel(utm_source, utm_medium), _monday(spend_date))] += amount
    assert len({channel for channel, _ in spend}) > 1, "spend maps to one channel only"

    rows = _query(
        generated_build,
        "agg_attribution_by_channel",
        "conversion_type, model, channel, week_start_date, credited_conversions, "
        "credited_revenue, spend, roas",
    )
    actual = {(r[0], r[1], r[2], r[3]): r[4:] for r in rows}
    rule_rows = {key: value for key, value in actual.items() if key[1] != "markov"}
    for key, (conversions, revenue) in expected.items():
        got_conversions, got_revenue, _, _ = rule_rows.pop(key)
        assert abs(got_conversions - conversions) < TOLERANCE, key
        assert abs(got_revenue - revenue) < TOLERANCE * max(1.0, revenue), key
    # What is left: channel-weeks with spend and no credit.
    for key, (got_conversions, got_revenue, _, _) in rule_rows.items():
        assert (key[2], key[3]) in spend, key
        assert got_conversions == 0 and got_revenue == 0, key
    for (_, _, channel, week), (_, revenue, got_spend, roas) in actual.items():
        expected_spend = spend.get((channel, week), Decimal(0))
        assert got_spend == expected_spend, (channel, week)
        if expected_spend:
            assert math.isclose(roas, revenue / float(expected_spend), rel_tol=1e-9, abs_tol=1e-12)
        else:
            assert roas is None
    for channel, week in spend:
        assert ("order", "linear", channel, week) in actual
        assert ("order", "markov", channel, week) in actual
