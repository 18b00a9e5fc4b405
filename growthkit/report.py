"""The growth report: one self-contained HTML file (Plotly's JavaScript inlined, no network
needed to open it) with the charts growth teams look at, read from the marts of a dbt build
and from the semantic layer.

``growthkit report`` writes it; ``--account ID`` writes one account's usage page instead
(weekly active users, core actions, funnel position), small enough to embed in a CRM.
Every chart has a title, axis labels, its definition in one line and the date range of its
data; a chart with no data says so instead of drawing empty axes.
"""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from growthkit.dbt_runner import PROJECT_ROOT, Warehouse
from growthkit.semantic import SemanticLayer

#: Plotly's default colour sequence, so that a model or segment keeps its colour across charts.
_COLOURS = (
    "#636efa",
    "#ef553b",
    "#00cc96",
    "#ab63fa",
    "#ffa15a",
    "#19d3f3",
    "#ff6692",
    "#b6e880",
    "#ff97ff",
    "#fecb52",
)
_PLOT_CONFIG = {"displaylogo": False, "responsive": True}
#: z for a two-sided 95% interval.
_Z95 = 1.959963984540054


@dataclass
class Chart:
    """One chart of a page: ``figure`` is None when there is no data (the page says so)."""

    key: str
    title: str
    definition: str
    figure: Any | None
    date_range: str | None = None
    no_data: str = "No data for this chart in the marts."


@dataclass
class Page:
    title: str
    subtitle: str
    charts: list[Chart] = field(default_factory=list)


# -- reading the marts ---------------------------------------------------------------------------


class Marts:
    """Queries on the relations of a dbt run (names resolved from its manifest.json)."""

    def __init__(self, target_path: Path, warehouse: Warehouse) -> None:
        manifest_path = Path(target_path) / "manifest.json"
        if not manifest_path.exists():
            raise FileNotFoundError(
                f"{manifest_path} does not exist: build the project (bin/demo or dbt build) "
                "with this target path first"
            )
        manifest = json.loads(manifest_path.read_text())
        self.relations = {
            node["name"]: node["relation_name"]
            for node in manifest["nodes"].values()
            if node["resource_type"] in ("model", "seed") and node.get("relation_name")
        }
        self.warehouse = warehouse
        self.target_path = Path(target_path)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Run ``sql`` with ``{model}`` placeholders replaced by the models' relations."""
        return self.warehouse.query(sql.format_map(_Relations(self.relations)))


class _Relations(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        raise KeyError(f"no model or seed named {key!r} in the run's manifest")


def _day(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def _span(days: Sequence[Any]) -> str | None:
    values = [_day(day) for day in days if day is not None]
    if not values:
        return None
    return f"{min(values).isoformat()} to {max(values).isoformat()}"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _project_var(name: str) -> Any:
    """A var's default from dbt_project.yml (the report reads what the build was run with when
    no --vars overrode it)."""
    return yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["vars"][name]


# -- figures -------------------------------------------------------------------------------------


def _figure(title_x: str, title_y: str, **layout: Any) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.update_layout(
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 30, "b": 60},
        height=420,
        xaxis_title=title_x,
        yaxis_title=title_y,
        legend={"orientation": "h", "y": -0.2},
        **layout,
    )
    return fig


def _wilson(successes: float, trials: float) -> tuple[float, float]:
    """95% Wilson score interval of a proportion."""
    if trials <= 0:
        return (math.nan, math.nan)
    p = successes / trials
    denominator = 1 + _Z95**2 / trials
    centre = (p + _Z95**2 / (2 * trials)) / denominator
    half = _Z95 * math.sqrt(p * (1 - p) / trials + _Z95**2 / (4 * trials**2)) / denominator
    return (centre - half, centre + half)


# -- the growth report's charts ------------------------------------------------------------------


def _weekly_growth(marts: Marts) -> Chart:
    layer = SemanticLayer(marts.target_path, marts.warehouse)
    metrics = ["visitors", "signups", "first_orders"]
    result = layer.query(metrics, ["metric_time__week"], order_by=["metric_time__week"])
    records = [r for r in result.records() if r["metric_time__week"] is not None]
    chart = Chart(
        "weekly_growth",
        "Weekly growth",
        "Semantic-layer metrics by week (Monday start): visitors (distinct users with a session), "
        "signups (first signup event), first orders (users' first completed order).",
        None,
        _span([r["metric_time__week"] for r in records]),
    )
    if not records:
        return chart
    fig = _figure("Week", "Count")
    for metric, colour in zip(metrics, _COLOURS, strict=False):
        fig.add_scatter(
            x=[_day(r["metric_time__week"]).isoformat() for r in records],
            y=[r[metric] or 0 for r in records],
            name=metric.replace("_", " "),
            mode="lines+markers",
            line={"color": colour},
        )
    chart.figure = fig
    return chart


def _funnels(marts: Marts) -> list[Chart]:
    from plotly.subplots import make_subplots

    rows = marts.rows(
        "select funnel_name, entity_type, step_number, step_name, sum(entities),"
        " min(entry_week), max(entry_week) from {agg_funnel_conversion}"
        " group by funnel_name, entity_type, step_number, step_name"
        " order by funnel_name, entity_type, step_number"
    )
    funnels: dict[str, dict[str, list[tuple[Any, ...]]]] = defaultdict(lambda: defaultdict(list))
    weeks: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        funnels[row[0]][row[1]].append(row)
        weeks[row[0]] += [row[5], row[6]]
    definition = (
        "Each entity's best attempt (fct_funnel_steps): step k reached in order within the "
        "funnel's window after step 1; accounts combine their users' events. Share of entries."
    )
    if not funnels:
        return [Chart("funnel", "Funnels", definition, None)]
    charts = []
    for name in sorted(funnels):
        fig = make_subplots(
            rows=1, cols=2, subplot_titles=("Users", "Accounts"), horizontal_spacing=0.25
        )
        for col, entity_type in enumerate(("user", "account"), start=1):
            steps = funnels[name].get(entity_type, [])
            fig.add_funnel(
                y=[f"{int(r[2])}. {r[3]}" for r in steps],
                x=[int(r[4]) for r in steps],
                textinfo="value+percent initial",
                name=f"{entity_type}s",
                marker={"color": _COLOURS[col - 1]},
                row=1,
                col=col,
            )
        fig.update_layout(
            template="plotly_white", height=420, margin={"l": 140, "r": 20, "t": 40, "b": 60}
        )
        fig.update_xaxes(title_text="Entities reaching the step")
        fig.update_yaxes(title_text="Step")
        charts.append(
            Chart(
                f"funnel_{name}",
                f"Funnel: {name} (users and accounts)",
                definition,
                fig,
                "entry weeks " + (_span(weeks[name]) or ""),
            )
        )
    return charts


def _conversion_windows(marts: Marts) -> Chart:
    rows = marts.rows(
        "select cohort_date, conversion_window, window_days, users, converted_users,"
        " is_window_complete from {agg_conversion_windows}"
    )
    chart = Chart(
        "conversion_windows",
        "Conversion of zero-order users by first-seen week",
        "Share of users with no order before first seen whose first completed order came the same "
        "local day or within N x 24 h; open markers: a window not over for every user yet.",
        None,
        "first seen " + (_span([r[0] for r in rows]) or ""),
    )
    if not rows:
        return chart
    cells: dict[tuple[str, date], list[float]] = defaultdict(lambda: [0.0, 0.0, 1.0])
    order: dict[str, int] = {}
    for day, window, window_days, users, converted, complete in rows:
        week = _day(day) - timedelta(days=_day(day).weekday())
        cell = cells[(window, week)]
        cell[0] += users
        cell[1] += converted
        cell[2] = min(cell[2], 1.0 if complete else 0.0)
        order[window] = -1 if window_days is None else int(window_days)
    fig = _figure("First-seen week (Monday)", "Converted (%)")
    for i, window in enumerate(sorted(order, key=order.__getitem__)):
        points = sorted((week, c) for (w, week), c in cells.items() if w == window)
        fig.add_scatter(
            x=[week.isoformat() for week, _ in points],
            y=[100 * c[1] / c[0] if c[0] else None for _, c in points],
            name=window.replace("_", " "),
            mode="lines+markers",
            marker={"symbol": ["circle" if c[2] else "circle-open" for _, c in points]},
            line={"color": _COLOURS[i % len(_COLOURS)]},
        )
    chart.figure = fig
    return chart


def _retention(marts: Marts) -> Chart:
    rows = marts.rows(
        "select cohort_start, period_number, max(cohort_grain), sum(cohort_users),"
        " sum(active_users) from {agg_retention_cohorts}"
        " group by cohort_start, period_number order by cohort_start, period_number"
    )
    grain = rows[0][2] if rows else "week"
    chart = Chart(
        "retention",
        f"Retention by {grain}ly cohort",
        f"Share of a cohort (users by the {grain} of their first event) active in exactly "
        f"{grain} k after it; period 0 is the cohort {grain} (agg_retention_cohorts).",
        None,
        "cohorts " + (_span([r[0] for r in rows]) or ""),
    )
    if not rows:
        return chart
    import plotly.graph_objects as go

    cohorts = sorted({_day(r[0]) for r in rows})
    periods = sorted({int(r[1]) for r in rows})
    rate = {(_day(r[0]), int(r[1])): (r[4] / r[3] if r[3] else None) for r in rows}
    z = [[rate.get((c, p)) for p in periods] for c in cohorts]
    text = [[("" if v is None else f"{100 * v:.0f}%") for v in row] for row in z]
    fig = _figure(f"{grain.capitalize()}s since the cohort {grain}", "Cohort")
    fig.add_trace(
        go.Heatmap(
            x=periods,
            y=[c.isoformat() for c in cohorts],
            z=z,
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=1,
            colorbar={"title": "retained"},
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(dtick=1)
    chart.figure = fig
    return chart


def _lifecycle(marts: Marts) -> Chart:
    rows = marts.rows(
        "select period_start, lifecycle_grain, status, users from {agg_lifecycle}"
        " order by period_start"
    )
    grain = rows[0][1] if rows else "week"
    chart = Chart(
        "lifecycle",
        f"Lifecycle by {grain}",
        "Growth accounting: new (first active period), returning (active the period before too), "
        "resurrecting (back after a gap); dormant (active the period before, not now) below zero.",
        None,
        _span([r[0] for r in rows]),
    )
    if not rows:
        return chart
    fig = _figure(grain.capitalize(), "Users", barmode="relative")
    colours = {"new": _COLOURS[2], "returning": _COLOURS[0], "resurrecting": _COLOURS[4]}
    colours["dormant"] = _COLOURS[1]
    for status in ("new", "returning", "resurrecting", "dormant"):
        points = [r for r in rows if r[2] == status]
        sign = -1 if status == "dormant" else 1
        fig.add_bar(
            x=[_day(r[0]).isoformat() for r in points],
            y=[sign * int(r[3]) for r in points],
            name=status,
            marker={"color": colours[status]},
        )
    chart.figure = fig
    return chart


def _attribution(marts: Marts) -> list[Chart]:
    rows = marts.rows(
        "select model, channel, sum(credited_conversions), min(week_start_date),"
        " max(week_start_date) from {agg_attribution_by_channel}"
        " where conversion_type = 'order' group by model, channel"
    )
    by_channel = Chart(
        "attribution",
        "Orders credited to channels, by attribution model",
        "Completed orders each rule credits to session channels in the 30 days before the order "
        "(fractional credits); Markov: first orders, by removal share.",
        None,
        _span([r[3] for r in rows] + [r[4] for r in rows]),
    )
    if rows:
        models = [
            "first_touch",
            "last_touch",
            "last_non_direct",
            "linear",
            "position_based",
            "time_decay",
            "markov",
        ]
        channels = sorted({r[1] for r in rows})
        credit = {(r[0], r[1]): float(r[2] or 0) for r in rows}
        fig = _figure("Channel", "Credited orders", barmode="group")
        for i, model in enumerate(m for m in models if any(r[0] == m for r in rows)):
            fig.add_bar(
                x=channels,
                y=[credit.get((model, c), 0.0) for c in channels],
                name=model.replace("_", " "),
                marker={"color": _COLOURS[i % len(_COLOURS)]},
            )
        by_channel.figure = fig
    markov = marts.rows(
        "select channel, removal_effect, removal_share from {agg_markov_removal_effects}"
        " where removal_effect is not null order by removal_effect desc"
    )
    effects = Chart(
        "markov",
        "Markov removal effects",
        "1 - P(conversion without the channel) / P(conversion), from the first-order journeys' "
        "Markov chain; the share is the channel's part of the sum of effects.",
        None,
        by_channel.date_range,
    )
    if markov:
        fig = _figure("Channel", "Removal effect")
        fig.add_bar(
            x=[r[0] for r in markov],
            y=[float(r[1]) for r in markov],
            text=[f"{100 * float(r[2]):.0f}% share" for r in markov],
            name="removal effect",
            marker={"color": _COLOURS[3]},
        )
        effects.figure = fig
    return [by_channel, effects]


def _touches(marts: Marts) -> Chart:
    rows = marts.rows(
        "select conversion_type, touches_in_window, conversions from {agg_touches_to_conversion}"
        " order by conversion_type, touches_in_window"
    )
    chart = Chart(
        "touches",
        "Touches before conversion",
        "Conversions (orders, signups) by their number of sessions in the 30 days before them "
        "(0 = no session in the window).",
        None,
    )
    if not rows:
        return chart
    fig = _figure("Sessions in the window before the conversion", "Conversions", barmode="group")
    fig.update_xaxes(dtick=1)
    for i, kind in enumerate(sorted({r[0] for r in rows})):
        points = [r for r in rows if r[0] == kind]
        fig.add_bar(
            x=[int(r[1]) for r in points],
            y=[int(r[2]) for r in points],
            name=f"{kind}s",
            marker={"color": _COLOURS[i]},
        )
    chart.figure = fig
    return chart


def _experiments(marts: Marts) -> Chart:
    rows = marts.rows(
        "select experiment_id, variation_id, users, converted_users, p_value, is_control"
        " from {agg_experiment_results} order by experiment_id, variation_id"
    )
    exposures = marts.rows(
        "select min(first_exposed_date), max(first_exposed_date) from {fct_experiment_exposures}"
    )
    chart = Chart(
        "experiments",
        "Experiments: conversion by variation (95% intervals)",
        "Users in the variation of their first exposure who placed a completed order within "
        "the window; Wilson 95% intervals; p: two-sided z-test against control.",
        None,
        _span([exposures[0][0], exposures[0][1]]) if exposures else None,
    )
    if not rows:
        return chart
    fig = _figure("Experiment / variation", "Converted (%)")
    for i, experiment in enumerate(sorted({r[0] for r in rows})):
        points = [r for r in rows if r[0] == experiment]
        rates = [100 * r[3] / r[2] if r[2] else None for r in points]
        intervals = [_wilson(float(r[3]), float(r[2])) for r in points]
        fig.add_bar(
            x=[f"{experiment} / {r[1]}" for r in points],
            y=rates,
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [
                    100 * hi - (rate or 0) for (_, hi), rate in zip(intervals, rates, strict=True)
                ],
                "arrayminus": [
                    (rate or 0) - 100 * lo for (lo, _), rate in zip(intervals, rates, strict=True)
                ],
            },
            text=[
                "control" if r[5] else ("" if r[4] is None else f"p = {float(r[4]):.3f}")
                for r in points
            ],
            name=experiment,
            marker={"color": _COLOURS[i % len(_COLOURS)]},
        )
    chart.figure = fig
    return chart


def _segments(marts: Marts) -> Chart:
    rows = marts.rows(
        "select segment_date, segment, count(*) from {fct_user_segments_daily}"
        " group by segment_date, segment order by segment_date"
    )
    chart = Chart(
        "segments",
        "Segments over time",
        "Signed-up users by segment at the end of each date: power users, long- and short-term "
        "churn risks, new, casual (first that applies; dim_user_segments).",
        None,
        _span([r[0] for r in rows]),
    )
    if not rows:
        return chart
    fig = _figure("Date", "Users")
    order = ["power_user", "churn_risk_long_term", "churn_risk_short_term", "new", "casual"]
    for i, segment in enumerate(order):
        points = [r for r in rows if r[1] == segment]
        if points:
            fig.add_scatter(
                x=[_day(r[0]).isoformat() for r in points],
                y=[int(r[2]) for r in points],
                name=segment.replace("_", " "),
                mode="lines+markers",
                line={"color": _COLOURS[i]},
            )
    chart.figure = fig
    return chart


def _tracking(marts: Marts) -> Chart:
    rows = marts.rows(
        "select event_date, violation_type, sum(violations)"
        " from {agg_tracking_plan_violations_daily}"
        " group by event_date, violation_type order by event_date"
    )
    chart = Chart(
        "tracking_plan",
        "Tracking-plan health",
        "Calls breaking a rule of the tracking plan (tracking_plan seed) per day, by rule; a call "
        "breaking two rules counts twice.",
        None,
        _span([r[0] for r in rows]),
        no_data="No call broke the tracking plan (or there is no data).",
    )
    if not rows:
        return chart
    fig = _figure("Date", "Violating calls", barmode="stack")
    for i, kind in enumerate(sorted({r[1] for r in rows})):
        points = [r for r in rows if r[1] == kind]
        fig.add_bar(
            x=[_day(r[0]).isoformat() for r in points],
            y=[int(r[2]) for r in points],
            name=kind.replace("_", " "),
            marker={"color": _COLOURS[i % len(_COLOURS)]},
        )
    chart.figure = fig
    return chart


def growth_report(marts: Marts) -> Page:
    builders: list[Callable[[Marts], Chart | list[Chart]]] = [
        _weekly_growth,
        _funnels,
        _conversion_windows,
        _retention,
        _lifecycle,
        _attribution,
        _touches,
        _experiments,
        _segments,
        _tracking,
    ]
    page = Page("Growth report", "")
    for build in builders:
        made = build(marts)
        page.charts += made if isinstance(made, list) else [made]
    spans = [c.date_range for c in page.charts if c.date_range]
    page.subtitle = f"{len(page.charts)} charts from the marts and the semantic layer"
    if spans:
        page.subtitle += "; each chart gives the dates of its data"
    return page


# -- one account's page --------------------------------------------------------------------------


def account_page(marts: Marts, account_id: str) -> Page:
    """Weekly active users, core actions and funnel position of one account."""
    found = marts.rows(
        "select account_name, plan, users from {dim_accounts}"
        f" where account_id = {_quote(account_id)}"
    )
    if not found:
        raise LookupError(f"no account {account_id!r} in dim_accounts")
    name, plan, users = found[0]
    events = marts.rows(
        "select events.event_date, events.user_key, events.event_name"
        " from {fct_events} as events inner join {dim_users} as users"
        " on events.user_key = users.user_key"
        f" where users.account_id = {_quote(account_id)}"
    )
    core_names = {n for n in _project_var("core_action_event_names") if isinstance(n, str)}
    weeks: dict[date, set[str]] = defaultdict(set)
    actions: dict[tuple[date, str], int] = defaultdict(int)
    for day, user, event_name in events:
        week = _day(day) - timedelta(days=_day(day).weekday())
        weeks[week].add(user)
        if event_name in core_names:
            actions[(week, event_name)] += 1
    span = _span([e[0] for e in events])
    page = Page(
        f"Account {name or account_id}",
        f"account_id {account_id}; plan {plan or 'unknown'}; {users} users now",
    )
    active = Chart(
        "account_active_users",
        "Weekly active users",
        "Distinct users of the account (their latest group call names it) with any event in "
        "the week (Monday start).",
        None,
        span,
        no_data="No event of this account's users.",
    )
    if weeks:
        fig = _figure("Week", "Active users")
        ordered = sorted(weeks)
        fig.add_bar(
            x=[w.isoformat() for w in ordered],
            y=[len(weeks[w]) for w in ordered],
            name="active users",
            marker={"color": _COLOURS[0]},
        )
        active.figure = fig
    core = Chart(
        "account_core_actions",
        "Core actions per week",
        "Events named in var('core_action_event_names') ("
        + ", ".join(sorted(core_names))
        + ") by the account's users, per week.",
        None,
        span,
        no_data="No core action by this account's users.",
    )
    if actions:
        fig = _figure("Week", "Events", barmode="stack")
        for i, action in enumerate(sorted({a for _, a in actions})):
            ordered = sorted(w for w, a in actions if a == action)
            fig.add_bar(
                x=[w.isoformat() for w in ordered],
                y=[actions[(w, action)] for w in ordered],
                name=action.replace("_", " "),
                marker={"color": _COLOURS[i % len(_COLOURS)]},
            )
        core.figure = fig
    steps = marts.rows(
        "select seed.funnel_name, seed.step_number, seed.step_name, steps.reached_at"
        " from {funnel_steps} as seed left join {fct_funnel_steps} as steps"
        " on seed.funnel_name = steps.funnel_name and seed.step_number = steps.step_number"
        f" and steps.entity_type = 'account' and steps.entity_id = {_quote(account_id)}"
        " order by seed.funnel_name, seed.step_number"
    )
    position = Chart(
        "account_funnels",
        "Funnel position",
        "Steps of each funnel the account reached in its best attempt (fct_funnel_steps, "
        "entity type account), out of the funnel's steps.",
        None,
        _span([s[3] for s in steps]),
    )
    if steps:
        fig = _figure("Steps", "Funnel", barmode="overlay")
        funnels = sorted({s[0] for s in steps})
        total = {f: sum(1 for s in steps if s[0] == f) for f in funnels}
        reached = {f: sum(1 for s in steps if s[0] == f and s[3] is not None) for f in funnels}
        fig.add_bar(
            y=funnels,
            x=[total[f] for f in funnels],
            orientation="h",
            name="steps",
            marker={"color": "#dddddd"},
        )
        fig.add_bar(
            y=funnels,
            x=[reached[f] for f in funnels],
            orientation="h",
            name="reached",
            text=[f"{reached[f]} of {total[f]}" for f in funnels],
            marker={"color": _COLOURS[2]},
        )
        position.figure = fig
    page.charts = [active, core, position]
    return page


# -- HTML ----------------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 16px 24px; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0; }
.subtitle { color: #555; margin-top: 4px; }
.chart { border-top: 1px solid #ddd; margin-top: 24px; padding-top: 8px; }
.chart h2 { font-size: 1.15em; margin: 4px 0; }
.definition { color: #444; margin: 2px 0; font-size: 0.92em; }
.range { color: #777; margin: 2px 0 6px; font-size: 0.85em; }
.no-data { background: #f6f6f6; border: 1px dashed #bbb; color: #555; padding: 48px;
           text-align: center; }
"""


def render_html(page: Page, generated_at: datetime) -> str:
    """The page as one HTML document with Plotly's JavaScript inlined."""
    from plotly.offline import get_plotlyjs

    sections = []
    for chart in page.charts:
        if chart.figure is None:
            body = f'<div class="no-data">{html.escape(chart.no_data)}</div>'
        else:
            body = chart.figure.to_html(
                full_html=False,
                include_plotlyjs=False,
                div_id=f"chart-{chart.key}",
                config=_PLOT_CONFIG,
            )
        date_range = (
            f'<p class="range">Data: {html.escape(chart.date_range)}</p>'
            if chart.date_range
            else ""
        )
        sections.append(
            f'<section class="chart" id="{html.escape(chart.key)}">'
            f"<h2>{html.escape(chart.title)}</h2>"
            f'<p class="definition">{html.escape(chart.definition)}</p>'
            f"{date_range}{body}</section>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(page.title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{_STYLE}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script>'
        "</head><body>"
        f"<h1>{html.escape(page.title)}</h1>"
        f'<p class="subtitle">{html.escape(page.subtitle)}. Generated '
        f"{generated_at.strftime('%Y-%m-%d %H:%M')} UTC.</p>"
        + "".join(sections)
        + "</body></html>\n"
    )


def write_report(
    target_path: Path,
    warehouse: Warehouse,
    out: Path,
    account_id: str | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Page:
    """Write the growth report (or, with ``account_id``, that account's page) to ``out``."""
    marts = Marts(target_path, warehouse)
    page = account_page(marts, account_id) if account_id else growth_report(marts)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(page, now()))
    return page
