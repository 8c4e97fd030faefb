"""A throwaway PostgreSQL server for the tests: initdb into a temporary directory, listening on
127.0.0.1 only, at a free port; stopped and removed when the test session ends."""
from __future__ import annotations

import glob
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.requirements import missing

BINARIES = ("initdb", "pg_ctl", "postgres")
SUPERUSER = "journeybot"


def _bin_dir() -> Path | None:
    """Where initdb, pg_ctl and postgres are: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).resolve().parent] if on_path else []  # beside it: pg_dump, pg_restore
    candidates += [Path(d) for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for directory in candidates:
        if all(os.access(directory / name, os.X_OK) for name in BINARIES):
            return directory
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_user() -> str | None:
    """initdb and postgres refuse to run as root; as root, they run as an unprivileged user."""
    if os.geteuid() != 0:
        return None
    for user in ("postgres", "nobody"):
        if shutil.which("runuser") and _user_exists(user):
            return user
    missing("running as root, and there is no 'postgres' or 'nobody' user (with runuser) to run PostgreSQL as")


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class PostgresServer:
    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="journeybot-pg-"))
        self.port = free_port()
        self.user = _server_user()
        self._names = itertools.count(1)

    def start(self) -> PostgresServer:
        if self.user:  # the server user must own its data and socket directory
            shutil.chown(self.root, user=self.user)
        data, log = self.root / "data", self.root / "server.log"
        self._run("initdb", "-D", data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync")
        # fsync off: the data is thrown away, so there is no point waiting for the disk.
        options = f"-k {self.root} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        try:
            self._run("pg_ctl", "-D", data, "-l", log, "-w", "-o", options, "start")
        except subprocess.CalledProcessError:
            print(log.read_text() if log.exists() else "no server log")
            raise
        return self

    def stop(self) -> None:
        self._run("pg_ctl", "-D", self.root / "data", "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """The host goes silent: the postmaster and every backend stopped (SIGSTOP), so connections stay
        open and the kernel still accepts bytes, but nothing answers; SIGCONT afterwards."""
        postmaster = int((self.root / "data" / "postmaster.pid").read_text().split()[0])
        processes = [postmaster, *_children(postmaster)]
        for pid in processes:
            os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in processes:
                os.kill(pid, signal.SIGCONT)

    def _run(self, program: str, *args: object) -> None:
        as_user = ["runuser", "-u", self.user, "--"] if self.user else []
        subprocess.run([*as_user, str(self.bin_dir / program), *map(str, args)], check=True,
                       capture_output=True, cwd=self.root)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new, empty database on this server; returns its SQLAlchemy URL."""
        import psycopg

        name = name or f"test_{next(self._names)}"
        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _children(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def start_postgres_server() -> PostgresServer:
    bin_dir = _bin_dir()
    if bin_dir is None:
        missing("PostgreSQL server binaries (initdb, pg_ctl, postgres) are not installed; "
                "apt-get install postgresql, or run .ci/run")
    return PostgresServer(bin_dir).start()


@pytest.fixture(scope="session")
def postgres_server():
    server = start_postgres_server()
    yield server
    server.stop()


@pytest.fixture
def own_postgres_server():
    """A server of the test's own, for tests that pause or stop it."""
    server = start_postgres_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server) -> str:
    """The URL of an empty database on the session's throwaway PostgreSQL server."""
    return postgres_server.create_database("journeybot")
