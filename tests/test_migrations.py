"""The Alembic migrations on SQLite and PostgreSQL: they make exactly the tables the code uses, and
upgrading a database in use keeps its workshops."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import text
from sqlmodel import SQLModel

from storage import oauth_tables
from storage import repository as repo
from storage.db import make_engine, unit_of_work
from storage.schema import pending_revisions, upgrade

# Written as 0001 made the tables, not through today's models, which may have moved on.
FIRST_SCHEMA_ROWS = [
    ("INSERT INTO workshop (id, team_id, channel_id, title, kind, template, lang, lead_id, status, current_step,"
     " phases, anonymous, dot_votes, created_at) VALUES (1, 'T1', 'C1', 'Ordering online', 'customer', 'full',"
     " 'en', 'U1', 'active', 'end_user', '[\"Research\", \"Café\"]', false, 3, '2026-01-05 09:00:00')"),
    "INSERT INTO workshoplead (workshop_id, user_id) VALUES (1, 'U1')",
    ("INSERT INTO steppost (id, workshop_id, step_key, channel_id, ts, opened_at)"
     " VALUES (1, 1, 'end_user', 'C1', '100.1', '2026-01-05 09:00:01')"),
    ("INSERT INTO item (id, workshop_id, step_key, lane, text, evidence, author_id, source, dedupe_key, created_at,"
     " updated_at) VALUES (1, 1, 'end_user', 'end_user', 'Compares three shops', 'research', 'U2', 'thread',"
     " 'msg:T1:C1:100.2', '2026-01-05 09:01:00', '2026-01-05 09:01:00')"),
    "INSERT INTO vote (id, workshop_id, item_id, user_id, created_at) VALUES (1, 1, 1, 'U3', '2026-01-05 09:02:00')",
    "INSERT INTO person (team_id, user_id, name, updated_at) VALUES ('T1', 'U2', 'Bram', '2026-01-05 09:03:00')",
]


def test_the_migrations_make_exactly_the_tables_the_code_uses(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection),
                                       [SQLModel.metadata, oauth_tables.metadata])
    assert differences == []
    assert pending_revisions(engine) == []


def test_upgrading_a_first_schema_database_keeps_its_workshops(database_url):
    engine = make_engine(database_url)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        for statement in FIRST_SCHEMA_ROWS:
            connection.execute(text(statement))
    assert pending_revisions(engine)[0] == "0002"

    upgrade(engine)

    assert pending_revisions(engine) == []
    with unit_of_work(engine) as session:
        workshop = repo.active_workshop(session, team_id="T1", channel_id="C1")
        assert (workshop.title, workshop.phases) == ("Ordering online", ["Research", "Café"])
        assert repo.step_post_at(session, team_id="T1", channel_id="C1", ts="100.1")[1].step_key == "end_user"
        assert [item.text for item in repo.items_of(session, workshop_id=1)] == ["Compares three shops"]
        assert repo.vote_counts(session, workshop_id=1) == {1: 1}
        assert repo.people_of(session, team_id="T1", user_ids=["U2"])["U2"].name == "Bram"
    store = SQLAlchemyInstallationStore(client_id="111.222", engine=engine)
    store.save(Installation(app_id="A1", team_id="T1", user_id="U1", bot_token="xoxb-t1", bot_id="B1",
                            bot_user_id="UBOT"))
    assert store.find_installation(enterprise_id=None, team_id="T1").bot_token == "xoxb-t1"
    engine.dispose()
