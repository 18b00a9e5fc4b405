"""Peak memory of the dbt process and of a PostgreSQL server, sampled from /proc (Linux).

A thread reads /proc every ``interval`` seconds and keeps, for the current phase:

- dbt: the largest VmHWM (the kernel's peak resident set size of the process, in its
  /proc/<pid>/status) of this process's child processes whose command line runs dbt. VmHWM only
  grows, so the last sample before dbt exits is its peak, less what it reached in its last
  ``interval`` seconds.
- server: the largest sum, over the postmaster and every process it started (one backend per
  connection, parallel workers, autovacuum), of their PSS (/proc/<pid>/smaps_rollup: resident
  memory with each shared page divided among the processes that map it, so shared_buffers is
  counted once). A sample, not a high-water mark: a peak between two samples is missed.

Without /proc (macOS) every figure is None.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass
class Peaks:
    """Peaks of one phase in MB (None: nothing sampled)."""

    dbt_mb: float | None = None
    server_mb: float | None = None


def _status_kb(pid: int, field: str) -> int | None:
    """A ``kB`` field of /proc/<pid>/status (VmHWM, VmRSS), or None if the process is gone."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _pss_kb(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc/<pid>/stat of every process."""
    tree: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1:
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _descendants(tree: dict[int, list[int]], root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def _runs_dbt(pid: int) -> bool:
    try:
        argv = (PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(Path(arg.decode(errors="replace")).name == "dbt" for arg in argv[:2])


class MemorySampler:
    """Samples peak memory in a background thread; :meth:`phase` returns and resets the peaks."""

    def __init__(
        self, server_pid: Callable[[], int | None] | None = None, interval: float = 0.5
    ) -> None:
        self.available = (PROC / "self" / "status").exists()
        self._server_pid = server_pid
        self._interval = interval
        self._lock = threading.Lock()
        self._peaks = Peaks()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="memory-sampler", daemon=True)

    def __enter__(self) -> MemorySampler:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def phase(self) -> Peaks:
        """The peaks since the previous call (one last sample first), then start afresh."""
        if self.available:
            self._sample()
        with self._lock:
            peaks, self._peaks = self._peaks, Peaks()
        return peaks

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()

    def _sample(self) -> None:
        tree = _children()
        dbt_kb = [
            _status_kb(pid, "VmHWM") or 0 for pid in tree.get(os.getpid(), []) if _runs_dbt(pid)
        ]
        server_kb = None
        root = self._server_pid() if self._server_pid else None
        if root is not None:
            server_kb = sum(_pss_kb(pid) for pid in _descendants(tree, root))
        with self._lock:
            if dbt_kb:
                self._peaks.dbt_mb = max(self._peaks.dbt_mb or 0.0, max(dbt_kb) / 1024)
            if server_kb:
                self._peaks.server_mb = max(self._peaks.server_mb or 0.0, server_kb / 1024)
