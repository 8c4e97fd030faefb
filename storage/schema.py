"""Applies Alembic migrations: the only way journeybot's tables are made or changed.

Alembic is imported only when there is something to migrate: a start-up on an up-to-date database
checks the version table against the migration files' heads itself, which is a third of a second faster.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from storage.db import without_timeouts


def _config(engine: Engine | None):
    from alembic.config import Config

    ini = resources.files("storage").joinpath("alembic.ini")
    config = Config(str(ini))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and is_up_to_date(engine):
        return
    _migrate(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Back to an earlier revision, keeping the rows (the tests check each migration both ways)."""
    _migrate(engine, "downgrade", revision)


def _migrate(engine: Engine, direction: str, revision: str) -> None:
    from alembic import command

    config = _config(engine)
    with engine.connect() as connection, _foreign_keys_off_on_sqlite(connection), connection.begin(), \
            without_timeouts(connection):  # a migration may take its time
        config.attributes["connection"] = connection
        getattr(command, direction)(config, revision)
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
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

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


def is_up_to_date(engine: Engine) -> bool:
    """The database is at the newest migration: its version table names exactly the heads of the files."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        current = set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    return current == head_revisions()


def head_revisions() -> set[str]:
    """The revisions no other migration builds on, read from the files' `revision` and `down_revision`."""
    revisions, parents = set(), set()
    for script in resources.files("storage").joinpath("migrations", "versions").iterdir():
        if script.name.endswith(".py"):
            values = _assignments(script.read_text(encoding="utf-8"))
            revisions.add(values["revision"])
            down = values.get("down_revision")
            parents.update(down if isinstance(down, (tuple, list)) else [down] if down else [])
    return revisions - parents


def _assignments(source: str) -> dict:
    values = {}
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and node.value is not None:
            values[target.id] = ast.literal_eval(node.value)
    return values
