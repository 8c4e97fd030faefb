"""Alembic environment: migrates the database at DATABASE_URL, or the connection handed in by storage.schema."""
import os

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage import oauth_tables

config = context.config
# journeybot's own tables, and slack_sdk's OAuth stores that share its database.
target_metadata = [SQLModel.metadata, oauth_tables.metadata]


def run_migrations_offline() -> None:
    context.configure(url=os.environ.get("DATABASE_URL") or config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    section = config.get_section(config.config_ini_section, {})
    if os.environ.get("DATABASE_URL"):
        section["sqlalchemy.url"] = os.environ["DATABASE_URL"]
    engine = engine_from_config(section, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        _migrate(connection)


def _migrate(connection) -> None:
    # render_as_batch lets SQLite alter tables by copying them, as it has no ALTER COLUMN.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
