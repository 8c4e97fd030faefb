"""The database every storage-touching test runs on: an SQLite file and a PostgreSQL database,
both made by the Alembic migrations, as `journeybot db upgrade` makes them."""
from __future__ import annotations

import pytest

from storage.db import make_engine
from storage.schema import upgrade


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """An empty database: a fresh SQLite file, or a fresh database on the session's PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'journeybot.sqlite3'}"
    return request.getfixturevalue("postgres_server").create_database()


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()
