"""PostgreSQL connections give up rather than hang a request: on a host that went silent, a statement
that runs too long, or a pool with no free connection; migrations alone may take their time."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

import storage.db
from storage.db import make_engine, without_timeouts

pytestmark = pytest.mark.postgres


def test_a_request_gives_up_on_a_paused_database_and_works_again_when_it_resumes(own_postgres_server, monkeypatch):
    """What the health check does for itself, a request's connection does too: no reply, no wait forever."""
    monkeypatch.setattr(storage.db, "REPLY_TIMEOUT_SECONDS", 1)
    engine = make_engine(own_postgres_server.create_database())
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        with own_postgres_server.paused(), pytest.raises(OperationalError, match="no reply within 1 s"):
            connection.execute(text("SELECT 1"))  # a request in the middle of its work when the host went silent
    with engine.connect() as connection:  # the broken connection was thrown away; a new one works
        assert connection.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_a_long_statement_gives_up_with_the_statement_timeout(postgres_url, monkeypatch):
    monkeypatch.setattr(storage.db, "STATEMENT_TIMEOUT_SECONDS", 1)
    engine = make_engine(postgres_url)
    with engine.connect() as connection, pytest.raises(OperationalError, match="statement timeout"):
        connection.execute(text("SELECT pg_sleep(30)"))
    engine.dispose()


def test_a_request_gives_up_waiting_for_a_pooled_connection(postgres_url, monkeypatch):
    monkeypatch.setattr(storage.db, "POOL_TIMEOUT_SECONDS", 1)
    engine = make_engine(postgres_url)
    held = [engine.connect() for _ in range(engine.pool.size() + engine.pool._max_overflow)]
    with pytest.raises(PoolTimeout):
        engine.connect()
    for connection in held:
        connection.close()
    engine.dispose()


def test_connections_carry_tcp_keepalives(postgres_url):
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        parameters = connection.connection.dbapi_connection.info.get_parameters()
    engine.dispose()
    assert parameters["keepalives"] == "1" and int(parameters["keepalives_idle"]) > 0
    assert int(parameters["tcp_user_timeout"]) > 0


def test_migrations_run_without_the_timeouts_and_leave_them_in_place(postgres_url):
    engine = make_engine(postgres_url)
    with engine.begin() as connection, without_timeouts(connection):
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "0"
        assert connection.connection.dbapi_connection.reply_timeout is None
    with engine.connect() as connection:  # the same pooled connection, for the next request
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar() == "15s"
        assert connection.connection.dbapi_connection.reply_timeout == storage.db.REPLY_TIMEOUT_SECONDS
    engine.dispose()
