"""The tables slack_sdk's SQLAlchemy installation and OAuth state stores read and write.

They are slack_sdk's own definitions, gathered on one MetaData so that Alembic owns them with the
rest of the schema (migration 0002) and notices when a new slack_sdk changes them.
"""
from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData

metadata = MetaData()
bots = SQLAlchemyInstallationStore.build_bots_table(metadata, SQLAlchemyInstallationStore.default_bots_table_name)
installations = SQLAlchemyInstallationStore.build_installations_table(
    metadata, SQLAlchemyInstallationStore.default_installations_table_name)
oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, SQLAlchemyOAuthStateStore.default_table_name)
