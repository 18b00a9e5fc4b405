"""sqlfluff over the project's SQL, started early and in the background, with a cache for reruns.

Linting every SQL file with the dbt templater takes minutes and is single-threaded, so the
session starts it as soon as the tests are collected (``conftest.pytest_collection_finish``)
and ``test_lint.py::test_sqlfluff`` waits for its result: the lint runs beside the builds.

Outside CI, files that passed are remembered (outside the repository, in
``~/.cache/growth_metrics/sqlfluff`` or ``$GROWTH_LINT_CACHE``) under a key of the file's
content and of everything else its linting depends on: the sqlfluff configuration and version,
the macros, every YAML file, ``dbt_project.yml``, ``profiles.yml`` and the ``config()`` blocks of
all SQL files (they decide how a ``ref()`` renders). A rerun lints only the files whose key has
no passing result, so a file is linted again whenever anything that can change its lint does.
With ``CI`` set, or ``GROWTH_LINT_CACHE=off``, there is no cache: every file is linted.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from growthkit.dbt_runner import PROJECT_ROOT

#: Folders holding dbt SQL; those that exist are linted. The dbt templater cannot render a
#: macro on its own, so files that define only macros (macros/, tests/generic/) are reported
#: as skipped by sqlfluff; models, singular tests and analyses are linted.
SQL_DIRS = ("models", "macros", "tests", "analyses")
#: Files that decide how every SQL file renders or which rules apply, besides macros and YAML.
SHARED_FILES = (".sqlfluff", ".sqlfluffignore", "dbt_project.yml", "profiles.yml")
_CONFIG_BLOCK = re.compile(r"\{\{-?\s*config\(.*?\)\s*-?\}\}", re.DOTALL)


def tool(name: str) -> Path | None:
    """A console script of the project's toolchain (.venv/bin, or next to this Python)."""
    for directory in (PROJECT_ROOT / ".venv" / "bin", Path(sys.executable).parent):
        if os.access(directory / name, os.X_OK):
            return directory / name
    return None


def cache_dir() -> Path | None:
    """Where passing files are remembered; None (lint everything) in CI or when turned off."""
    setting = os.environ.get("GROWTH_LINT_CACHE", "")
    if os.environ.get("CI") or setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "growth_metrics" / "sqlfluff"


def sql_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """Every SQL file sqlfluff is asked to lint, relative to ``root``."""
    return sorted(
        path.relative_to(root)
        for name in SQL_DIRS
        if (root / name).is_dir()
        for path in (root / name).rglob("*.sql")
    )


#: The packages whose versions decide what a lint finds.
_LINT_PACKAGES = ("sqlfluff", "sqlfluff-templater-dbt", "dbt-core", "dbt-duckdb")


def _versions() -> str:
    found = []
    for name in _LINT_PACKAGES:
        try:
            found.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name} missing")
    return " ".join(found)


def _shared_hash(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    digest.update(_versions().encode())
    shared = [root / name for name in SHARED_FILES if (root / name).exists()]
    shared += sorted((root / "macros").rglob("*")) if (root / "macros").is_dir() else []
    shared += sorted(
        path
        for name in ("models", "tests", "seeds", "analyses", "snapshots")
        if (root / name).is_dir()
        for path in (root / name).rglob("*")
        if path.suffix in (".yml", ".yaml", ".csv")
    )
    for path in shared:
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for path in files:
        for block in _CONFIG_BLOCK.findall((root / path).read_text(errors="replace")):
            digest.update(str(path).encode() + b"\0" + block.encode())
    return digest.hexdigest()


@dataclass
class LintRun:
    """One sqlfluff run over the files that need it (all of them without a cache)."""

    files: list[Path]
    to_lint: list[Path]
    keys: dict[Path, str]
    cache: Path | None
    process: subprocess.Popen[bytes] | None
    scratch: Path
    problem: str | None = None
    results: list[dict[str, Any]] = field(default_factory=list)

    def wait(self, timeout_s: float = 1500) -> tuple[int, str, str]:
        """Wait for sqlfluff: (exit code, stdout, stderr); (0, "[]", "") if nothing to lint."""
        if self.process is None:
            return 0, "[]", ""
        returncode = self.process.wait(timeout=timeout_s)
        return returncode, self.stdout.read_text(), self.stderr.read_text()

    @property
    def stdout(self) -> Path:
        return self.scratch / "sqlfluff.json"

    @property
    def stderr(self) -> Path:
        return self.scratch / "sqlfluff.err"

    def remember(self, passed: list[Path]) -> None:
        """Record files that passed, so that a rerun with the same inputs skips them."""
        if self.cache is None:
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        for path in passed:
            (self.cache / self.keys[path]).write_text(f"{path}\n")


def start(root: Path = PROJECT_ROOT) -> LintRun:
    """Start sqlfluff in the background on every SQL file without a passing cached result."""
    files = sql_files(root)
    scratch = Path(tempfile.mkdtemp(prefix="growth-sqlfluff-"))
    sqlfluff = tool("sqlfluff")
    if sqlfluff is None:
        return LintRun(files, files, {}, None, None, scratch, "sqlfluff not found; run bin/setup")
    cache = cache_dir()
    keys: dict[Path, str] = {}
    to_lint = files
    if cache is not None:
        shared = _shared_hash(root, files)
        for path in files:
            content = (root / path).read_bytes()
            keys[path] = hashlib.sha256(
                shared.encode() + str(path).encode() + b"\0" + content
            ).hexdigest()
        to_lint = [path for path in files if not (cache / keys[path]).exists()]
    if not to_lint:
        return LintRun(files, to_lint, keys, cache, None, scratch)
    # The dbt templater compiles every file with the duckdb target: give it a scratch database
    # and target/log directories so linting neither needs nor touches real data or ./target.
    env = os.environ | {
        "GROWTH_DUCKDB_PATH": str(scratch / "lint.duckdb"),
        "GROWTH_SCHEMA": "lint",
        "DBT_TARGET_PATH": str(scratch / "target"),
        "DBT_LOG_PATH": str(scratch / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    run = LintRun(files, to_lint, keys, cache, None, scratch)
    # Output goes to files, not pipes: nobody reads a pipe until the test waits, and sqlfluff
    # would block on a full one instead of linting meanwhile.
    with run.stdout.open("w") as out, run.stderr.open("w") as err:
        run.process = subprocess.Popen(
            [str(sqlfluff), "lint", *map(str, to_lint), "--format", "json", "--nocolor"],
            cwd=root,
            env=env,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
    return run


def parse_results(stdout: str) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = json.loads(stdout or "[]")
    return results
