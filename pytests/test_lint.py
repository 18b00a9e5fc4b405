"""Lint: the project's SQL with sqlfluff (dbt templater, rules in .sqlfluff), Python with ruff."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from growthkit.dbt_runner import PROJECT_ROOT

#: Folders holding dbt SQL; those that exist are linted. The dbt templater cannot render a
#: macro on its own, so files that define only macros (macros/, tests/generic/) are reported
#: as skipped by sqlfluff; models, singular tests and analyses are linted.
SQL_DIRS = ("models", "macros", "tests", "analyses")
PYTHON_DIRS = ("growthkit", "pytests", "benchmarks")


def _tool(name: str) -> str:
    """A console script of the project's toolchain (.venv/bin, or next to this Python)."""
    for directory in (PROJECT_ROOT / ".venv" / "bin", Path(sys.executable).parent):
        if os.access(directory / name, os.X_OK):
            return str(directory / name)
    pytest.fail(f"{name} not found in .venv/bin; run bin/setup", pytrace=False)


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def test_sqlfluff(tmp_path: Path) -> None:
    dirs = [name for name in SQL_DIRS if (PROJECT_ROOT / name).is_dir()]
    assert dirs, f"none of {SQL_DIRS} exists in {PROJECT_ROOT}"
    # The dbt templater compiles every file with the duckdb target: give it a scratch database
    # and target/log directories so linting neither needs nor touches real data or ./target.
    env = os.environ | {
        "GROWTH_DUCKDB_PATH": str(tmp_path / "lint.duckdb"),
        "GROWTH_SCHEMA": "lint",
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    done = subprocess.run(
        [_tool("sqlfluff"), "lint", *dirs, "--format", "json", "--nocolor"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=900,
        check=False,
    )
    # Exit 0: clean; 1: violations found. Anything else is sqlfluff failing to run at all.
    returncode = done.returncode
    assert returncode in (0, 1), (
        f"sqlfluff crashed (exit {done.returncode}):\n{_tail(done.stderr or done.stdout)}"
    )
    files = json.loads(done.stdout)
    linted = [f for f in files if f.get("statistics", {}).get("raw_segments") or f["violations"]]
    assert linted, f"sqlfluff linted no file in {dirs}:\n{_tail(done.stderr)}"
    problems = [
        f"{f['filepath']}:{v.get('start_line_no', '?')}:{v.get('start_line_pos', '?')}: "
        f"{v['code']} {v['description']}"
        for f in files
        for v in f["violations"]
        if not v.get("warning")
    ]
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
