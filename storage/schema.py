"""Applies Alembic migrations: the only way journeybot's tables are made or changed."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from storage.db import without_timeouts


def _config(engine: Engine | None) -> Config:
    ini = resources.files("storage").joinpath("alembic.ini")
    config = Config(str(ini))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Back to an earlier revision, keeping the rows (the tests check each migration both ways)."""
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    config = _config(engine)
    with engine.connect() as connection, _foreign_keys_off_on_sqlite(connection), connection.begin(), \
            without_timeouts(connection):  # a migration may take its time
        config.attributes["connection"] = connection
        step(config, revision)
        _check_foreign_keys(connection)


@contextmanager
def _foreign_keys_off_on_sqlite(connection: Connection) -> Iterator[None]:
    """SQLite changes a table by copying it and dropping the old one; with foreign keys on, that drop would
    cascade to every row that points at it. The pragma only takes effect outside a transaction, so it is
    given on the driver's connection (autocommit, see storage.db) before the migration's transaction begins."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


def _check_foreign_keys(connection: Connection) -> None:
    """With foreign keys off, SQLite's own check, before the migration commits: a broken reference rolls it back."""
    if connection.dialect.name == "sqlite" and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
        raise RuntimeError("the migration left rows pointing at rows that do not exist")


def pending_revisions(engine: Engine | None) -> list[str]:
    """Migrations not yet applied to this database (None: a database not made yet), oldest first."""
    script = ScriptDirectory.from_config(_config(engine))
    current = set()
    if engine is not None:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    pending = []
    for revision in script.walk_revisions():
        if revision.revision in current:
            break
        pending.append(revision.revision)
    return list(reversed(pending))
