"""Lint: the project's SQL with sqlfluff (dbt templater, rules in .sqlfluff), Python with ruff."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import sqlfluff_lint
from conftest import LINT_RUN

from growthkit.dbt_runner import PROJECT_ROOT

PYTHON_DIRS = ("growthkit", "pytests", "benchmarks")


def _tool(name: str) -> str:
    """A console script of the project's toolchain (.venv/bin, or next to this Python)."""
    found = sqlfluff_lint.tool(name)
    if found is None:
        pytest.fail(f"{name} not found in .venv/bin; run bin/setup", pytrace=False)
    return str(found)


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def test_sqlfluff(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]) -> None:
    """Every SQL file passes sqlfluff (dbt templater, rules in .sqlfluff). The lint was started
    in the background when the session began (conftest); outside CI, files that passed with the
    same inputs before are not linted again (pytests/sqlfluff_lint.py says what counts)."""
    lint = request.config.stash.get(LINT_RUN, None) or sqlfluff_lint.start()
    assert lint.files, f"no SQL file in {sqlfluff_lint.SQL_DIRS} of {PROJECT_ROOT}"
    assert lint.problem is None, lint.problem
    returncode, stdout, stderr = lint.wait()
    # Exit 0: clean; 1: violations found. Anything else is sqlfluff failing to run at all.
    assert returncode in (0, 1), f"sqlfluff crashed (exit {returncode}):\n{_tail(stderr or stdout)}"
    results = sqlfluff_lint.parse_results(stdout)
    by_path = {Path(result["filepath"]): result for result in results}
    # A file the dbt templater renders is linted: it has segments (or violations); files that
    # define only macros are reported without them.
    linted = sorted(
        p for p, r in by_path.items() if r["statistics"].get("raw_segments") or r["violations"]
    )
    unlinted_models = [
        path for path in lint.to_lint if path.parts[0] == "models" and path not in linted
    ]
    assert not unlinted_models, (
        f"sqlfluff did not lint these models:\n{_tail(stderr)}\n"
        + "\n".join(map(str, unlinted_models))
    )
    assert linted or not lint.to_lint, f"sqlfluff linted no file:\n{_tail(stderr)}"
    problems = [
        f"{result['filepath']}:{v.get('start_line_no', '?')}:{v.get('start_line_pos', '?')}: "
        f"{v['code']} {v['description']}"
        for result in results
        for v in result["violations"]
        if not v.get("warning")
    ]
    failing = {Path(line.split(":", 1)[0]) for line in problems}
    lint.remember([path for path in lint.to_lint if path not in failing and returncode == 0])
    with capsys.disabled():
        reused = len(lint.files) - len(lint.to_lint)
        macros_only = len(lint.to_lint) - len(linted)
        print(
            f"\n[lint] sqlfluff linted {len(lint.to_lint)} of {len(lint.files)} SQL files "
            f"({len(linted)} rendered by dbt, {macros_only} defining only macros); {reused} "
            f"passed before with the same inputs "
            f"(cache: {lint.cache or 'off, CI or GROWTH_LINT_CACHE=off'})"
        )
    assert returncode == 0 and not problems, (
        f"{len(problems)} sqlfluff violations (fix with `.venv/bin/sqlfluff fix <file>` or by "
        "hand; rules and their reasons are in .sqlfluff):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize(
    "command",
    [["check"], ["format", "--check", "--diff"]],
    ids=["ruff-check", "ruff-format"],
)
def test_ruff(command: list[str]) -> None:
    done = subprocess.run(
        [_tool("ruff"), *command, *PYTHON_DIRS],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        check=False,
    )
    returncode = done.returncode
    assert returncode == 0, (
        f"`ruff {' '.join(command)}` found problems (config in pyproject.toml; "
        f"`.venv/bin/ruff format` and `ruff check --fix` repair most):\n"
        f"{_tail(done.stdout + done.stderr, 80)}"
    )
