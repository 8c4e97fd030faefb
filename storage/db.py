"""Engines and units of work. The caller owns the transaction: one ``unit_of_work`` per request."""
from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlmodel import Session, create_engine

DEFAULT_DATABASE_URL = "sqlite:///journeybot.sqlite3"
CONNECT_TIMEOUT_SECONDS = 5
STATEMENT_TIMEOUT_SECONDS = 15  # Slack has given up on a request long before; migrations lift it
POOL_TIMEOUT_SECONDS = 10  # waiting for a free pooled connection
REPLY_TIMEOUT_SECONDS = STATEMENT_TIMEOUT_SECONDS + 5  # the server's own timeout speaks first when it can


def postgres_connect_args() -> dict:
    """A database host that stops answering must not hang a request: libpq gives up on connecting, on
    unacknowledged data (a partition) and on a silent peer (keepalives); the server ends long statements."""
    return {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
        "tcp_user_timeout": STATEMENT_TIMEOUT_SECONDS * 1000,
        "options": f"-c statement_timeout={STATEMENT_TIMEOUT_SECONDS * 1000}",
    }
# SQLite takes one writer at a time, and a writer that finds the file locked sleeps in SQLite's busy
# handler (1, 2, 5 … 100 ms at a time) before it tries again. Threads of one process wait their turn on
# this lock instead, and start the moment the unit before them commits.
_SQLITE_WRITERS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


def make_engine(url: str = DEFAULT_DATABASE_URL) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(url, pool_pre_ping=True, pool_timeout=POOL_TIMEOUT_SECONDS,
                               connect_args=postgres_connect_args())
        if parsed.get_driver_name() == "psycopg":
            event.listen(engine, "do_connect", _connect_giving_up)
        return engine
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    _SQLITE_WRITERS[engine] = threading.RLock()
    return engine


@contextmanager
def without_timeouts(connection: Connection) -> Iterator[None]:
    """For migrations, which may rightly take long: no statement or reply timeout in this transaction."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    raw = connection.connection.dbapi_connection
    reply_timeout = getattr(raw, "reply_timeout", None)
    raw.reply_timeout = None
    try:
        yield
    finally:
        raw.reply_timeout = reply_timeout


def _connect_giving_up(_dialect, _record, cargs, cparams):
    """A connection that stops waiting for a reply after REPLY_TIMEOUT_SECONDS (storage/postgres.py)."""
    from storage.postgres import GivingUpConnection

    connection = GivingUpConnection.connect(*cargs, **cparams)
    connection.reply_timeout = REPLY_TIMEOUT_SECONDS
    return connection


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite opens transactions itself, only before writes, so a savepoint taken first
    # would become the outer transaction and its release would commit the unit half-way.
    # SQLAlchemy's recipe: let us say BEGIN (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")  # so deleting a workshop cascades
    cursor.execute("PRAGMA journal_mode = WAL")  # readers do not block the writer
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # IMMEDIATE takes the write lock at once: a unit that reads, then writes, never finds that
    # another writer committed in between (which SQLite would refuse at once, whatever the timeout).
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def sqlite_writer(engine: Engine) -> threading.RLock | None:
    """The lock an SQLite engine's units of work take in turn (None for other databases)."""
    return _SQLITE_WRITERS.get(engine)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed at the end, or rolled back whole on any error."""
    with sqlite_writer(engine) or nullcontext(), Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise


def ping(engine: Engine) -> None:
    """Asks the database for the smallest answer; raises SQLAlchemyError when it gives none."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
