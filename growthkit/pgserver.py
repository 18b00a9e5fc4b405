"""A throwaway PostgreSQL server for tests and local runs.

``ThrowawayPostgres`` creates a cluster in a fresh temporary directory (``initdb``, UTF8, trust
auth), starts it on a free port listening on 127.0.0.1 only (no Unix socket), creates one
database, and on exit stops the server and deletes the directory, also after an error or Ctrl-C.
A small watchdog process does the same cleanup if this process dies without running its own
(SIGKILL, SIGTERM, a CI timeout).

``initdb`` refuses to run as root, so when the current user is root the cluster is created and
run as the OS user ``postgres`` (it must exist); otherwise it runs as the current user. In both
cases the database superuser is called ``postgres``.

Usage::

    with ThrowawayPostgres(dbname="growth") as pg:
        subprocess.run(["dbt", "build", "--target", "postgres"], env=os.environ | pg.env())

Run ``python -m growthkit.pgserver`` to get a server for manual work: it prints the PG*
variables to export and keeps the server up until Ctrl-C.

Durability settings (fsync, full_page_writes, synchronous_commit) are off: this server is for
throwaway data only.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

__all__ = ["PostgresBinaries", "PostgresError", "ThrowawayPostgres", "find_binaries"]

log = logging.getLogger(__name__)

#: The major version the project targets; preferred when several are installed.
PREFERRED_MAJOR = 15
#: Directory holding initdb/pg_ctl/postgres; overrides the search.
BINDIR_ENV = "GROWTH_PG_BINDIR"
#: Parent directory for the temporary cluster directory; defaults to the system temp dir.
TMPDIR_ENV = "GROWTH_PG_TMPDIR"
#: The OS user that runs the server when the current user is root.
DEFAULT_OS_USER = "postgres"
#: The database superuser created by initdb.
SUPERUSER = "postgres"
HOST = "127.0.0.1"

_INSTALL_HINT = (
    "Install the PostgreSQL server (Debian/Ubuntu: `apt-get install postgresql`, which puts them "
    "in /usr/lib/postgresql/<version>/bin; macOS: `brew install postgresql@15`), or set "
    f"{BINDIR_ENV} to the directory that holds initdb, pg_ctl and postgres. "
    "bin/test installs them automatically when run as root on Debian/Ubuntu."
)

_SERVER_SETTINGS = {
    "listen_addresses": f"'{HOST}'",
    "unix_socket_directories": "''",
    "max_connections": "40",
    "shared_buffers": "'128MB'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "timezone": "'UTC'",
    "log_timezone": "'UTC'",
    "logging_collector": "off",
    "log_min_messages": "warning",
}


class PostgresError(RuntimeError):
    """The throwaway server could not be found, created, started or stopped."""


@dataclass(frozen=True)
class PostgresBinaries:
    """The server programs of one PostgreSQL installation."""

    bindir: Path
    version: str

    @property
    def initdb(self) -> Path:
        return self.bindir / "initdb"

    @property
    def pg_ctl(self) -> Path:
        return self.bindir / "pg_ctl"

    @property
    def postgres(self) -> Path:
        return self.bindir / "postgres"

    @property
    def major(self) -> int:
        match = re.match(r"(\d+)", self.version)
        return int(match.group(1)) if match else 0


def _has_server_programs(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl", "postgres"))


def _candidate_bindirs() -> Iterator[tuple[str, Path]]:
    """Yield (where it came from, directory) in order of preference."""
    explicit = os.environ.get(BINDIR_ENV)
    if explicit:
        yield f"${BINDIR_ENV}", Path(explicit)
        return
    on_path = shutil.which("initdb")
    if on_path:
        # /usr/local/bin/initdb is often a symlink into the real bin directory; pg_ctl must
        # start the postgres program of the same installation, so use the resolved directory.
        yield "PATH", Path(on_path).resolve().parent
        yield "PATH", Path(on_path).parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            ).stdout.strip()
            if out:
                yield "pg_config --bindir", Path(out)

    def version_key(path: str) -> tuple[int, int]:
        match = re.search(r"(\d+)(?:\.(\d+))?/bin$", path)
        if not match:
            return (0, 0)
        major = int(match.group(1))
        return (1 if major == PREFERRED_MAJOR else 0, major)

    patterns = (
        "/usr/lib/postgresql/*/bin",  # Debian, Ubuntu
        "/usr/pgsql-*/bin",  # RHEL and friends (PGDG)
        "/opt/homebrew/opt/postgresql@*/bin",  # macOS, Apple silicon
        "/usr/local/opt/postgresql@*/bin",  # macOS, Intel
    )
    found = [path for pattern in patterns for path in glob.glob(pattern)]
    for path in sorted(found, key=version_key, reverse=True):
        yield "standard location", Path(path)


def find_binaries() -> PostgresBinaries:
    """Find initdb, pg_ctl and postgres of one installation, preferring PostgreSQL 15."""
    looked: list[str] = []
    for origin, bindir in _candidate_bindirs():
        looked.append(f"{bindir} ({origin})")
        if not _has_server_programs(bindir):
            continue
        try:
            out = subprocess.run(
                [str(bindir / "postgres"), "--version"],
                capture_output=True,
                text=True,
                check=True,
                timeout=30,
            ).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            raise PostgresError(
                f"{bindir / 'postgres'} exists but `postgres --version` failed: {exc}. "
                f"Check the installation or point {BINDIR_ENV} at another one."
            ) from exc
        match = re.search(r"(\d+(?:\.\d+)*)", out)
        return PostgresBinaries(bindir=bindir, version=match.group(1) if match else out.strip())
    where = "; ".join(looked) if looked else "nothing on PATH and no standard location exists"
    raise PostgresError(
        f"PostgreSQL server programs (initdb, pg_ctl, postgres) not found; looked in: {where}. "
        + _INSTALL_HINT
    )


@dataclass(frozen=True)
class _RunAs:
    """Who runs initdb/pg_ctl: None fields mean "the current user"."""

    name: str
    uid: int | None = None
    gid: int | None = None

    def subprocess_kwargs(self) -> dict[str, Any]:
        if self.uid is None:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


def _resolve_run_as(os_user: str) -> _RunAs:
    if os.geteuid() != 0:
        return _RunAs(name=pwd.getpwuid(os.geteuid()).pw_name)
    try:
        entry = pwd.getpwnam(os_user)
    except KeyError:
        raise PostgresError(
            f"running as root, but the OS user {os_user!r} that should run the server does not "
            "exist (initdb refuses to run as root). Create it with "
            f"`useradd --system --user-group --no-create-home {os_user}` (bin/test does this), "
            "or run as a non-root user."
        ) from None
    if entry.pw_uid == 0:
        raise PostgresError(
            f"the OS user {os_user!r} has uid 0; initdb refuses to run as root. "
            "Use an unprivileged user."
        )
    return _RunAs(name=os_user, uid=entry.pw_uid, gid=entry.pw_gid)


def _child_env(run_as: _RunAs, home: Path) -> dict[str, str]:
    """A clean environment for the server programs: no PG* variables that could redirect them."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PG") and not key.startswith("LC_")
    }
    env.update({"LC_ALL": "C", "LANG": "C", "TZ": "UTC"})
    if run_as.uid is not None:
        env.update({"HOME": str(home), "USER": run_as.name, "LOGNAME": run_as.name})
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _check_traversable(directory: Path, run_as: _RunAs) -> None:
    """Fail early if the server user cannot reach ``directory`` (e.g. TMPDIR under /root)."""
    if run_as.uid is None:
        return
    for parent in [directory, *directory.parents]:
        st = parent.stat()
        if st.st_uid == run_as.uid:
            continue
        if not st.st_mode & 0o001:
            raise PostgresError(
                f"the server runs as OS user {run_as.name!r}, which cannot enter {parent} "
                f"(needed to reach {directory}). Set {TMPDIR_ENV} (or TMPDIR) to a directory "
                "every user can enter, such as /tmp."
            )


def _pid_alive(pid: int) -> bool:
    """True if ``pid`` runs; a zombie (exited, not yet reaped by its parent) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (macOS): trust kill(0)
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while _pid_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _postmaster_pid(data_dir: Path) -> int | None:
    try:
        first = (data_dir / "postmaster.pid").read_text().splitlines()[0]
        return int(first.strip())
    except (OSError, ValueError, IndexError):
        return None


def _stop_cluster(
    pg_ctl: Path, data_dir: Path, run_as: _RunAs, env: Mapping[str, str], cwd: Path
) -> list[str]:
    """Stop the server in ``data_dir`` if it runs; return problems met on the way."""
    problems: list[str] = []
    pid = _postmaster_pid(data_dir)
    if pid is None or not _pid_alive(pid):
        return problems
    for mode, timeout in (("fast", 30), ("immediate", 15)):
        try:
            done = subprocess.run(
                [str(pg_ctl), "stop", "-D", str(data_dir), "-m", mode, "-w", "-t", str(timeout)],
                capture_output=True,
                text=True,
                env=dict(env),
                cwd=cwd,
                timeout=timeout + 10,
                check=False,
                **run_as.subprocess_kwargs(),
            )
            if done.returncode != 0:
                problems.append(f"pg_ctl stop -m {mode}: {done.stderr.strip() or done.stdout}")
        except (OSError, subprocess.SubprocessError) as exc:
            problems.append(f"pg_ctl stop -m {mode}: {exc}")
        # pg_ctl returns once postmaster.pid is gone; the process may take a moment to exit.
        if _wait_gone(pid, timeout=10):
            return []
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
        problems.append(f"postmaster {pid} did not stop; killed it")
    return problems


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary directory that disappears on exit.

    Use it as a context manager, or call :meth:`start` and :meth:`stop` (``stop`` is idempotent
    and safe to call after a failed ``start``).
    """

    def __init__(
        self,
        dbname: str = "growth",
        *,
        os_user: str = DEFAULT_OS_USER,
        port: int | None = None,
        base_dir: str | os.PathLike[str] | None = None,
        startup_timeout: int = 60,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.dbname = dbname
        self.os_user = os_user
        self.requested_port = port
        self.base_dir = base_dir or os.environ.get(TMPDIR_ENV) or None
        self.startup_timeout = startup_timeout
        self._progress = progress or log.info
        self.port: int | None = None
        self.binaries: PostgresBinaries | None = None
        self.directory: Path | None = None
        self._run_as: _RunAs | None = None
        self._env: dict[str, str] = {}
        self._watchdog: subprocess.Popen[bytes] | None = None

    # -- public API -----------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        if self.directory is None:
            raise PostgresError("the server has not been started")
        return self.directory / "data"

    @property
    def log_file(self) -> Path:
        if self.directory is None:
            raise PostgresError("the server has not been started")
        return self.directory / "postgres.log"

    @property
    def running(self) -> bool:
        if self.directory is None:
            return False
        pid = _postmaster_pid(self.data_dir)
        return pid is not None and _pid_alive(pid)

    def env(self) -> dict[str, str]:
        """The libpq variables that point a client (dbt, psql, psycopg2) at this server."""
        if self.port is None:
            raise PostgresError("the server has not been started; call start() or use `with`")
        return {
            "PGHOST": HOST,
            "PGPORT": str(self.port),
            "PGUSER": SUPERUSER,
            "PGDATABASE": self.dbname,
            "PGPASSWORD": "",
        }

    def dsn(self, dbname: str | None = None) -> str:
        """A libpq connection string for this server (``dbname`` defaults to the created one)."""
        env = self.env()
        return (
            f"host={env['PGHOST']} port={env['PGPORT']} user={env['PGUSER']} "
            f"dbname={dbname or env['PGDATABASE']}"
        )

    def start(self) -> Self:
        """Create, start and prepare the server. Cleans up everything if any step fails."""
        if self.directory is not None:
            raise PostgresError("this ThrowawayPostgres was already started")
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server and delete its directory. Safe to call more than once."""
        directory, self.directory = self.directory, None
        problems: list[str] = []
        if directory is not None:
            binaries, run_as = self.binaries, self._run_as
            if binaries is not None and run_as is not None:
                problems += _stop_cluster(
                    binaries.pg_ctl, directory / "data", run_as, self._env, directory
                )
            shutil.rmtree(directory, ignore_errors=True)
            if directory.exists():
                problems.append(f"could not delete {directory}; remove it by hand")
        self.port = None
        self._close_watchdog()
        if problems:
            raise PostgresError("stopping the throwaway server: " + "; ".join(problems))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.stop()
        except PostgresError:
            if exc is None:
                raise
            log.exception("while cleaning up after another error")

    # -- internals --------------------------------------------------------------------------------

    def _start(self) -> None:
        binaries = self.binaries = find_binaries()
        run_as = self._run_as = _resolve_run_as(self.os_user)
        base = Path(self.base_dir or tempfile.gettempdir()).resolve()
        if not base.is_dir():
            raise PostgresError(
                f"{base} is not a directory; set {TMPDIR_ENV} (or TMPDIR) to an existing one"
            )
        _check_traversable(base, run_as)
        try:
            self.directory = Path(tempfile.mkdtemp(prefix="growth-pg-", dir=base))
        except OSError as exc:
            raise PostgresError(
                f"cannot create a directory in {base} ({exc}); set {TMPDIR_ENV} (or TMPDIR) to "
                "a writable directory"
            ) from exc
        if run_as.uid is not None:
            os.chown(self.directory, run_as.uid, run_as.gid if run_as.gid is not None else -1)
        self._env = _child_env(run_as, self.directory)
        self._start_watchdog()
        self._progress(
            f"pgserver: initdb (PostgreSQL {binaries.version} from {binaries.bindir}, "
            f"as OS user {run_as.name}) in {self.directory}"
        )
        self._run(
            [
                str(binaries.initdb),
                "--pgdata",
                str(self.data_dir),
                "--username",
                SUPERUSER,
                "--auth",
                "trust",
                # UTF8 is required (normalize(), event names in any script). The C locale
                # keeps sorting byte-ordered; the Unicode-aware text rules do not depend on it,
                # they name the ICU collation "und-x-icu" explicitly (macro
                # unicode_regex_syntax), so the server must be built with ICU.
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
            ],
            what="initdb",
            timeout=180,
        )
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n# growthkit.pgserver: throwaway test server\n")
            conf.writelines(f"{key} = {value}\n" for key, value in _SERVER_SETTINGS.items())
        self._start_on_free_port()
        self._create_database()
        self._progress(f"pgserver: ready on {HOST}:{self.port}, database {self.dbname!r}")

    def _run(self, argv: list[str], *, what: str, timeout: int) -> subprocess.CompletedProcess[str]:
        assert self._run_as is not None and self.directory is not None
        try:
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                env=self._env,
                cwd=self.directory,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                **self._run_as.subprocess_kwargs(),
            )
        except subprocess.TimeoutExpired as exc:
            raise PostgresError(f"{what} did not finish within {timeout}s") from exc
        except OSError as exc:
            raise PostgresError(f"could not run {argv[0]}: {exc}") from exc
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()
            raise PostgresError(
                f"{what} failed (exit {done.returncode}) as OS user {self._run_as.name}:\n"
                f"{_tail(output)}"
            )
        return done

    def _start_on_free_port(self) -> None:
        assert self.binaries is not None
        attempts = 1 if self.requested_port else 5
        for attempt in range(1, attempts + 1):
            self.port = self.requested_port or _free_port()
            try:
                self._run(
                    [
                        str(self.binaries.pg_ctl),
                        "start",
                        "-D",
                        str(self.data_dir),
                        "-l",
                        str(self.log_file),
                        "-o",
                        f"-p {self.port}",
                        "-w",
                        "-t",
                        str(self.startup_timeout),
                    ],
                    what=f"pg_ctl start on port {self.port}",
                    timeout=self.startup_timeout + 30,
                )
                return
            except PostgresError as exc:
                server_log = self._read_log()
                port_taken = "could not bind" in server_log or "already in use" in server_log
                if port_taken and attempt < attempts:
                    self._progress(f"pgserver: port {self.port} was taken, trying another")
                    with contextlib.suppress(OSError):
                        self.log_file.unlink()
                    continue
                hint = (
                    f"port {self.port} is in use; pass another port"
                    if port_taken
                    else "see the server log above"
                )
                raise PostgresError(f"{exc}\nserver log:\n{_tail(server_log)}\n({hint})") from None

    def _create_database(self) -> None:
        try:
            import psycopg2
            from psycopg2 import sql
        except ImportError as exc:
            raise PostgresError(
                "psycopg2 is needed to create the database; run bin/setup to install the "
                "project's toolchain into .venv"
            ) from exc
        deadline = time.monotonic() + self.startup_timeout
        while True:
            try:
                conn = psycopg2.connect(self.dsn("postgres"), connect_timeout=5)
                break
            except psycopg2.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise PostgresError(
                        f"the server started but does not accept connections on "
                        f"{HOST}:{self.port}: {exc}\nserver log:\n{_tail(self._read_log())}"
                    ) from exc
                time.sleep(0.2)
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(sql.SQL("create database {}").format(sql.Identifier(self.dbname)))
        except psycopg2.Error as exc:
            raise PostgresError(f"could not create database {self.dbname!r}: {exc}") from exc
        finally:
            conn.close()

    def _read_log(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except (OSError, PostgresError):
            return "(no server log)"

    def _start_watchdog(self) -> None:
        """Start a process that cleans up if this one dies without calling stop()."""
        assert self.directory is not None and self.binaries is not None
        assert self._run_as is not None
        argv = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--watchdog",
            str(self.binaries.pg_ctl),
            str(self.directory),
            self.os_user,
        ]
        try:
            self._watchdog = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                env=self._env,
            )
        except OSError as exc:
            log.warning("pgserver: no watchdog (%s); a killed test run may leave a server", exc)

    def _close_watchdog(self) -> None:
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is None:
            return
        if watchdog.stdin is not None:
            with contextlib.suppress(OSError):
                watchdog.stdin.close()
        try:
            watchdog.wait(timeout=60)
        except subprocess.TimeoutExpired:
            watchdog.kill()
            watchdog.wait()


def _tail(text: str, lines: int = 40) -> str:
    kept = text.strip().splitlines()[-lines:]
    return "\n".join(f"    {line}" for line in kept) if kept else "    (no output)"


def _watchdog_main(pg_ctl: str, directory: str, os_user: str) -> int:
    """Wait until the parent closes our stdin (or dies), then remove whatever is left."""
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        while sys.stdin.buffer.read(4096):
            pass
    path = Path(directory)
    if not path.exists():
        return 0
    run_as = _resolve_run_as(os_user)
    _stop_cluster(Path(pg_ctl), path / "data", run_as, _child_env(run_as, path), path)
    shutil.rmtree(path, ignore_errors=True)
    return 0


def _serve_forever(dbname: str) -> int:
    """Start a server, print the variables to export, and wait for Ctrl-C."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        with ThrowawayPostgres(dbname=dbname) as pg:
            for key, value in pg.env().items():
                print(f"export {key}={value!r}" if value else f"export {key}=''")
            sys.stdout.flush()
            print("pgserver: running; press Ctrl-C to stop and delete it", file=sys.stderr)
            with contextlib.suppress(KeyboardInterrupt):
                while pg.running:
                    time.sleep(1)
    except PostgresError as exc:
        print(f"pgserver: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--watchdog":
        sys.exit(_watchdog_main(*sys.argv[2:5]))
    sys.exit(_serve_forever(sys.argv[1] if len(sys.argv) > 1 else "growth"))
