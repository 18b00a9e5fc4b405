"""The growth report and an account page, written from the generated build on each engine and
opened in headless Chromium as a person would: no console error, every chart drawn with data
points, and a screenshot of each page under reports/screenshots/ (GROWTH_SCREENSHOT_DIR).

Chromium is Debian's package (bin/test installs it like PostgreSQL's server programs;
GROWTH_CHROMIUM names another binary). Playwright drives it; its own browser downloads are not
used.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import GeneratedBuild

from growthkit.dbt_runner import PROJECT_ROOT
from growthkit.report import write_report

SCREENSHOTS = Path(
    os.environ.get("GROWTH_SCREENSHOT_DIR", PROJECT_ROOT / "reports" / "screenshots")
)

#: Every chart of the growth report, by section id (one funnel chart per funnel of the
#: funnel_steps seed).
REPORT_CHARTS = {
    "weekly_growth",
    "funnel_activation",
    "funnel_purchase",
    "funnel_search_success",
    "conversion_windows",
    "retention",
    "lifecycle",
    "attribution",
    "markov",
    "touches",
    "experiments",
    "segments",
    "tracking_plan",
}
ACCOUNT_CHARTS = {"account_active_users", "account_core_actions", "account_funnels"}

#: Runs in the page: per chart section, whether Plotly drew it and how many data points its
#: traces hold after drawing (calcdata, which Plotly fills while rendering).
_CHART_STATE = """
() => Array.from(document.querySelectorAll('section.chart')).map((section) => {
    const plot = section.querySelector('.js-plotly-plot');
    const points = plot && plot.calcdata
        ? plot.calcdata.reduce((n, trace) => n + trace.filter((p) => {
            const values = [p.y, p.x, p.z, p.s].filter((v) => v !== undefined);
            return values.some((v) => v !== null && !Number.isNaN(v));
          }).length, 0)
        : 0;
    return {
        id: section.id,
        drawn: Boolean(plot && plot.querySelector('svg.main-svg')),
        points: points,
        noData: Boolean(section.querySelector('.no-data')),
        title: (section.querySelector('h2') || {}).textContent || '',
        definition: (section.querySelector('.definition') || {}).textContent || '',
    };
})
"""


def _chromium() -> str:
    path = os.environ.get("GROWTH_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail(
            "Chromium is not installed: bin/test installs Debian's chromium package when run "
            "as root; else install it (apt-get install chromium) or set GROWTH_CHROMIUM.",
            pytrace=False,
        )
    return path


def _open(html_path: Path, screenshot: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Open the file in headless Chromium; return the chart states and the console errors."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on(
                "console",
                lambda message: errors.append(message.text) if message.type == "error" else None,
            )
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("requestfailed", lambda request: errors.append(f"request {request.url}"))
            page.on(
                "request",
                lambda request: (
                    None
                    if request.url.startswith(("file:", "data:", "blob:"))
                    else errors.append(f"network request {request.url}")
                ),
            )
            page.goto(html_path.as_uri(), wait_until="load")
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                ".every((plot) => plot.calcdata)",
                timeout=60_000,
            )
            states: list[dict[str, Any]] = page.evaluate(_CHART_STATE)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    return states, errors


def _check_page(states: list[dict[str, Any]], errors: list[str], expected: set[str]) -> None:
    assert not errors, f"console errors: {errors}"
    assert {s["id"] for s in states} == expected
    for state in states:
        assert state["title"].strip() and state["definition"].strip(), state
        assert state["drawn"] and not state["noData"], f"{state['id']} was not drawn: {state}"
        assert state["points"] > 0, f"{state['id']} has no data points"


@pytest.fixture(scope="module")
def report(generated_build: GeneratedBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "growth_report.html"
    write_report(
        generated_build.run.target_path,
        generated_build.engine.warehouse,
        out,
        now=lambda: datetime(2024, 6, 1),
    )
    return out


def test_report_is_self_contained(report: Path) -> None:
    """One file that needs no network: no external script, stylesheet or image (the browser
    tests also fail on any request that is not the file itself)."""
    text = report.read_text()
    assert "<script src=" not in text and "<link " not in text and "<img " not in text


def test_report_renders_every_chart(generated_build: GeneratedBuild, report: Path) -> None:
    name = generated_build.engine.name
    states, errors = _open(report, SCREENSHOTS / f"growth_report_{name}.png")
    _check_page(states, errors, REPORT_CHARTS)


def test_account_page_renders(
    generated_build: GeneratedBuild, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The page of the account with the most users: weekly active users, core actions and
    funnel position all drawn."""
    relation = generated_build.run.relation("dim_accounts")
    account_id = generated_build.engine.warehouse.scalar(
        f"select account_id from {relation} order by users desc, account_id limit 1"
    )
    out = tmp_path_factory.mktemp("account") / "account.html"
    page = write_report(
        generated_build.run.target_path,
        generated_build.engine.warehouse,
        out,
        account_id=account_id,
        now=lambda: datetime(2024, 6, 1),
    )
    assert account_id in page.subtitle
    states, errors = _open(out, SCREENSHOTS / f"account_{generated_build.engine.name}.png")
    _check_page(states, errors, ACCOUNT_CHARTS)


def test_unknown_account_is_a_clear_error(generated_build: GeneratedBuild, tmp_path: Path) -> None:
    with pytest.raises(LookupError, match="no account 'nobody'"):
        write_report(
            generated_build.run.target_path,
            generated_build.engine.warehouse,
            tmp_path / "x.html",
            account_id="nobody",
        )


def test_empty_chart_shows_no_data(tmp_path: Path) -> None:
    """A chart without data is a clear "no data" box, not empty axes, and the page still opens
    without a console error."""
    import plotly.graph_objects as go

    from growthkit.report import Chart, Page, render_html

    drawn = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    page = Page(
        "Test page",
        "two charts",
        [
            Chart("empty", "Nothing here", "A chart whose mart has no rows.", None),
            Chart(
                "drawn", "Something", "A chart with two bars.", drawn, "2024-01-01 to 2024-01-02"
            ),
        ],
    )
    out = tmp_path / "page.html"
    out.write_text(render_html(page, datetime(2024, 6, 1)))
    states, errors = _open(out, tmp_path / "page.png")
    assert not errors, errors
    by_id = {state["id"]: state for state in states}
    assert by_id["empty"]["noData"] and not by_id["empty"]["drawn"]
    assert by_id["drawn"]["drawn"] and by_id["drawn"]["points"] == 2
    assert "No data" in out.read_text()
