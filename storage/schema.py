"""Applies Alembic migrations: the only way journeybot's tables are made or changed."""
from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from storage.db import without_timeouts


def _config(engine: Engine | None) -> Config:
    ini = resources.files("storage").joinpath("alembic.ini")
    config = Config(str(ini))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = _config(engine)
    with engine.begin() as connection, without_timeouts(connection):  # a migration may take its time
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


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
