"""Paths and event transitions on generated data, against plain Python.

Each test reads the fct_events rows of the shared generated build, recomputes a paths mart
from them in plain Python, following the definitions written in
models/marts/paths/_paths__models.yml, and compares with what the SQL built, row for row
(medians within a tolerance), on each engine. The build uses the default vars: start event
signed_up, 5 steps, no end event, repeats collapsed, page calls left out, paths across
sessions.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import defaultdict
from datetime import datetime
from typing import Any, NamedTuple

from conftest import GeneratedBuild

#: Defaults of the vars in dbt_project.yml that the generated build runs with.
START_EVENT = "signed_up"
STEPS = 5
SESSION_END = "(session end)"


class Event(NamedTuple):
    at: datetime
    event_id: str
    name: str
    user_key: str
    session_id: str | None


def _track_events(build: GeneratedBuild) -> list[Event]:
    relation = build.run.relation("fct_events")
    rows = build.engine.warehouse.query(
        f"select event_at, event_id, event_name, user_key, session_id from {relation} "
        f"where event_source = 'track'"
    )
    assert len(rows) > 10_000, "the generated data should have many track calls"
    return [
        Event(at, str(event_id), str(name), str(user), session)
        for at, event_id, name, user, session in rows
    ]


def _close(actual: Any, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-6)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def test_paths_match_python(generated_build: GeneratedBuild) -> None:
    timelines: dict[str, list[Event]] = defaultdict(list)
    for event in _track_events(generated_build):
        timelines[event.user_key].append(event)

    # Each user's path from their first start event: the events after it (ties by event_id),
    # a run of one name as one step timed at its first event, the first STEPS steps.
    paths: dict[tuple[str | None, ...], list[list[float | None]]] = defaultdict(list)
    for events in timelines.values():
        events.sort(key=lambda event: (event.at, event.event_id))
        starts = [i for i, event in enumerate(events) if event.name == START_EVENT]
        if not starts:
            continue
        steps: list[Event] = []
        for event in events[starts[0] :]:
            if not steps or event.name != steps[-1].name:
                steps.append(event)
        steps = steps[:STEPS]
        names = tuple(event.name for event in steps) + (None,) * (STEPS - len(steps))
        gaps = [(b.at - a.at).total_seconds() for a, b in itertools.pairwise(steps)]
        paths[names].append(gaps + [None] * (STEPS - 1 - len(gaps)))  # type: ignore[list-item]

    start_users = sum(len(users) for users in paths.values())
    counts = sorted((len(users) for users in paths.values()), reverse=True)
    expected = {}
    for names, users in paths.items():
        medians = [
            _median([gaps[k] for gaps in users if gaps[k] is not None]) for k in range(STEPS - 1)
        ]
        rank = counts.index(len(users)) + 1
        path = " > ".join(name for name in names if name is not None)
        expected[path] = (names, len(users), rank, len(users) / start_users, medians)

    relation = generated_build.run.relation("agg_paths")
    steps_sql = ", ".join(f"step_{k}" for k in range(1, STEPS + 1))
    medians_sql = ", ".join(f"median_seconds_to_step_{k}" for k in range(2, STEPS + 1))
    rows = generated_build.engine.warehouse.query(
        f"select path, {steps_sql}, users, path_rank, share_of_start_users, {medians_sql}, "
        f"has_reached_end_event from {relation}"
    )
    actual = {}
    for row in rows:
        names = tuple(row[1 : STEPS + 1])
        users, rank, share = int(row[STEPS + 1]), int(row[STEPS + 2]), row[STEPS + 3]
        medians = list(row[STEPS + 4 : 2 * STEPS + 3])
        assert row[-1] is False or row[-1] == 0, "no end event is set: has_reached_end_event"
        actual[row[0]] = (names, users, rank, share, medians)
    assert len(actual) == len(rows)
    assert actual.keys() == expected.keys()
    for path, (names, users, rank, share, medians) in expected.items():
        got = actual[path]
        assert got[:3] == (names, users, rank), path
        assert math.isclose(got[3], share, rel_tol=1e-9), path
        assert all(_close(a, e) for a, e in zip(got[4], medians, strict=True)), (
            path,
            got[4],
            medians,
        )

    assert start_users > 100 and len(expected) > 10, "too few paths to judge"
    assert counts[0] > 1, "no path shared by several users"
    assert any(names[-1] is not None for names, *_ in expected.values()), "no path of 5 steps"
    assert any(names[-1] is None for names, *_ in expected.values()), "no path cut short"


def test_event_transitions_match_python(generated_build: GeneratedBuild) -> None:
    sessions: dict[str, list[Event]] = defaultdict(list)
    for event in _track_events(generated_build):
        if event.session_id is not None:
            sessions[event.session_id].append(event)

    pairs: dict[tuple[str, str], list[tuple[str, float | None]]] = defaultdict(list)
    for events in sessions.values():
        events.sort(key=lambda event: (event.at, event.event_id))
        for event, following in zip(events, [*events[1:], None], strict=True):
            if following is None:
                pairs[(event.name, SESSION_END)].append((event.user_key, None))
            else:
                seconds = (following.at - event.at).total_seconds()
                pairs[(event.name, following.name)].append((event.user_key, seconds))
    from_totals: dict[str, int] = defaultdict(int)
    for (source, _), found in pairs.items():
        from_totals[source] += len(found)
    expected = {}
    for (source, target), found in pairs.items():
        seconds = [s for _, s in found if s is not None]
        expected[(source, target)] = (
            len(found),
            len({user for user, _ in found}),
            len(found) / from_totals[source],
            _median(seconds),
            target == SESSION_END,
        )

    relation = generated_build.run.relation("agg_event_transitions")
    rows = generated_build.engine.warehouse.query(
        f"select from_event_name, to_event_name, transitions, users, share_of_from_event, "
        f"median_seconds_between, is_session_end from {relation}"
    )
    actual = {(row[0], row[1]): row[2:] for row in rows}
    assert len(actual) == len(rows)
    assert actual.keys() == expected.keys()
    for key, (transitions, users, share, median, is_end) in expected.items():
        got = actual[key]
        assert (int(got[0]), int(got[1]), bool(got[4])) == (transitions, users, is_end), key
        assert math.isclose(got[2], share, rel_tol=1e-9), key
        assert _close(got[3], median), (key, got[3], median)

    assert len(expected) > 20, "too few transitions to judge"
    assert sum(1 for _, target in expected if target == SESSION_END) > 5
    assert any(source == target for source, target in expected), "no repeat transition"
