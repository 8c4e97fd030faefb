"""The Alembic migrations on SQLite and PostgreSQL: they make exactly the tables the code uses, and
upgrading a database in use keeps its workshops."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from flows.vocabulary import AnswerSource, Evidence, JourneyKind, Lane, WorkshopStatus
from storage import oauth_tables
from storage import repository as repo
from storage.db import make_engine, unit_of_work
from storage.schema import downgrade, pending_revisions, upgrade

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
        assert repo.prompt_at(session, team_id="T1", channel_id="C1", ts="100.1").step_key == "end_user"
        assert [item.text for item in repo.items_of(session, workshop_id=1)] == ["Compares three shops"]
        assert repo.vote_counts(session, workshop_id=1) == {1: 1}
        assert repo.people_of(session, team_id="T1", user_ids=["U2"])["U2"].name == "Bram"
    store = SQLAlchemyInstallationStore(client_id="111.222", engine=engine)
    store.save(Installation(app_id="A1", team_id="T1", user_id="U1", bot_token="xoxb-t1", bot_id="B1",
                            bot_user_id="UBOT"))
    assert store.find_installation(enterprise_id=None, team_id="T1").bot_token == "xoxb-t1"
    engine.dispose()


def test_the_database_refuses_a_status_kind_lane_evidence_or_source_outside_its_set(engine):
    """The CHECK constraints of 0004_closed_sets hold even for a writer that skips the models."""
    workshop = ("INSERT INTO workshop (id, team_id, channel_id, title, kind, template, lang, lead_id, status,"
                " current_step, phases, anonymous, dot_votes, created_at) VALUES (1, 'T1', 'C1', 'Ordering', {kind},"
                " 'full', 'en', 'U1', {status}, 'end_user', '[]', false, 3, '2026-01-05 09:00:00')")
    item = ("INSERT INTO item (id, workshop_id, step_key, lane, text, evidence, author_id, source, dedupe_key,"
            " created_at, updated_at) VALUES (1, 1, 'end_user', {lane}, 'Compares shops', {evidence}, 'U2', {source},"
            " 'msg:1', '2026-01-05 09:01:00', '2026-01-05 09:01:00')")
    good_workshop, good_item = {"kind": "'customer'", "status": "'active'"}, {"lane": "NULL", "evidence": "'diary'",
                                                                              "source": "'modal'"}
    for statement, good, bad in [(workshop, good_workshop, {"kind": "'costumer'"}),
                                 (workshop, good_workshop, {"status": "'paused'"})]:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(statement.format(**good | bad)))
    with engine.begin() as connection:
        connection.execute(text(workshop.format(**good_workshop)))
    for bad in ({"lane": "'doez'"}, {"evidence": "'research'"}, {"source": "'email'"}):
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(item.format(**good_item | bad)))
    with engine.begin() as connection:
        connection.execute(text(item.format(**good_item)))


def test_a_value_outside_its_set_gets_the_one_that_claims_least_and_the_answer_stays(database_url):
    engine = make_engine(database_url)
    upgrade(engine, "0003")
    with engine.begin() as connection:
        for statement in FIRST_SCHEMA_ROWS:  # its answer says 'research', a value journeybot never wrote
            connection.execute(text(statement))
    upgrade(engine)
    with unit_of_work(engine) as session:
        (item,) = repo.items_of(session, workshop_id=1)
        assert (item.text, item.evidence) == ("Compares three shops", Evidence.ASSUMPTION)
    engine.dispose()


def test_closed_sets_downgrade_and_upgrade_again_keeping_every_row(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    with unit_of_work(engine) as session:
        workshop = repo.create_workshop(session, team_id="T1", channel_id="C1", title="Ordering online",
                                        kind=JourneyKind.USER, template="full", lang="en", lead_id="U1", phases=[],
                                        first_step="end_user")
        repo.add_item(session, workshop_id=workshop.id, step_key="end_user", phase=None, lane=Lane.END_USER,
                      text="A parent", author_id="U2", source=AnswerSource.THREAD, dedupe_key="msg:1")
    downgrade(engine, "0003")
    upgrade(engine)
    with unit_of_work(engine) as session:
        again = repo.active_workshop(session, team_id="T1", channel_id="C1")
        assert (again.kind, again.status) == (JourneyKind.USER, WorkshopStatus.ACTIVE)
        assert [(item.lane, item.text) for item in repo.items_of(session, workshop_id=again.id)] == [
            (Lane.END_USER, "A parent")]
        with pytest.raises(repo.AlreadyActive):  # the one-active-workshop index came back with its WHERE
            repo.create_workshop(session, team_id="T1", channel_id="C1", title="Twin", kind=JourneyKind.USER,
                                 template="full", lang="en", lead_id="U1", phases=[], first_step="end_user")
    engine.dispose()
