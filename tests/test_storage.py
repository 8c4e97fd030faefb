"""The repository on SQLite and on PostgreSQL: workshops, one active per channel, answers stored once
(also when two processes race), and deleting a workshop removes everything that belonged to it."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from storage import repository as repo
from storage.db import unit_of_work
from storage.models import FileRef, Item, StepPost, Vote, Workshop, WorkshopLead

PHASES = ["Research", "Purchase", "Café één", "Use 🚚"]


def start(session, *, channel_id="C1", title="Ordering online", lead_id="U1"):
    return repo.create_workshop(session, team_id="T1", channel_id=channel_id, title=title, kind="customer",
                                template="full", lang="en", lead_id=lead_id, phases=PHASES, first_step="end_user")


def answer(session, workshop_id, dedupe_key, *, author_id="U2", text="Compares three shops"):
    return repo.add_item(session, workshop_id=workshop_id, step_key="end_user", phase=None, lane="end_user",
                         text=text, author_id=author_id, source="thread", dedupe_key=dedupe_key)


def count(engine, table) -> int:
    with unit_of_work(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


# -- workshops --------------------------------------------------------------------------------

def test_a_started_workshop_is_the_channels_active_one_with_its_phases_in_order(engine):
    with unit_of_work(engine) as session:
        workshop_id = start(session).id
    with unit_of_work(engine) as session:
        active = repo.active_workshop(session, team_id="T1", channel_id="C1")
        assert active.id == workshop_id
        assert active.phases == PHASES
        assert repo.lead_ids(session, workshop_id=workshop_id) == ["U1"]
        assert repo.active_workshop(session, team_id="T2", channel_id="C1") is None


def test_phases_are_a_json_column(engine):
    columns = {column["name"]: column["type"] for column in inspect(engine).get_columns("workshop")}
    assert "JSON" in str(columns["phases"]).upper()
    with unit_of_work(engine) as session:
        start(session)
    with engine.connect() as connection:  # stored as a JSON array, readable by the database itself
        first = connection.execute(text("SELECT phases FROM workshop")).scalar_one()
    assert first == PHASES or first.startswith('["Research"')


def test_a_channel_has_one_active_workshop_until_it_is_closed(engine):
    with unit_of_work(engine) as session:
        first = start(session, title="First")
    with unit_of_work(engine) as session, pytest.raises(repo.AlreadyActive) as refused:
        start(session, title="Second")
    assert refused.value.workshop.title == "First"
    with unit_of_work(engine) as session:
        start(session, channel_id="C2", title="Elsewhere")
        repo.close_workshop(session, workshop=session.get(Workshop, first.id))
    with unit_of_work(engine) as session:
        start(session, title="Second")
    assert count(engine, Workshop) == 3


def test_a_workshop_moves_on_only_from_the_step_the_mover_saw_and_only_while_active(engine):
    """Two leads clicking next at once: the second finds the step moved and changes nothing."""
    with unit_of_work(engine) as session:
        workshop_id = start(session).id
    with unit_of_work(engine) as session:
        assert repo.move_current_step(session, workshop_id=workshop_id, expected="end_user", new="phases")
    with unit_of_work(engine) as session:
        assert not repo.move_current_step(session, workshop_id=workshop_id, expected="end_user", new="phases")
        repo.close_workshop(session, workshop=repo.workshop_by_id(session, workshop_id=workshop_id))
    with unit_of_work(engine) as session:
        assert not repo.move_current_step(session, workshop_id=workshop_id, expected="phases", new="journey:1")
        assert repo.workshop_by_id(session, workshop_id=workshop_id).current_step == "phases"


def test_the_database_itself_refuses_a_second_active_workshop(engine):
    """The partial unique index holds even for a writer that skipped the check."""
    with unit_of_work(engine) as session:
        start(session)
    twin = {"team_id": "T1", "channel_id": "C1", "title": "Twin", "kind": "customer", "template": "full",
            "lead_id": "U9", "current_step": "end_user", "phases": []}
    with pytest.raises(IntegrityError), unit_of_work(engine) as session:
        session.add(Workshop(**twin))
    with unit_of_work(engine) as session:  # closed ones do not count
        session.add(Workshop(**twin, status="closed"))
    assert count(engine, Workshop) == 2


def test_two_processes_starting_at_once_get_one_workshop_and_one_refusal(engine, monkeypatch):
    with unit_of_work(engine) as session:
        start(session, title="Won the race")
    real_check = repo.active_workshop
    checks = iter([None])  # the loser looked before the winner committed
    monkeypatch.setattr(repo, "active_workshop", lambda session, **kw: next(checks, None) or real_check(session, **kw))
    with unit_of_work(engine) as session:
        repo.remember_person(session, team_id="T1", user_id="U5", name="Eva")
        with pytest.raises(repo.AlreadyActive) as refused:
            start(session, title="Lost the race", lead_id="U5")
    assert refused.value.workshop.title == "Won the race"
    with unit_of_work(engine) as session:  # the savepoint kept the rest of the loser's transaction
        assert repo.people_of(session, team_id="T1", user_ids=["U5"])["U5"].name == "Eva"
    assert count(engine, Workshop) == 1


# -- answers ------------------------------------------------------------------------------------

def test_a_second_delivery_of_an_answer_stores_nothing(engine):
    with unit_of_work(engine) as session:
        workshop_id = start(session).id
    with unit_of_work(engine) as session:
        first, created = answer(session, workshop_id, "msg:T1:C1:1.1")
    with unit_of_work(engine) as session:
        again, created_again = answer(session, workshop_id, "msg:T1:C1:1.1", text="a retry")
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.text == "Compares three shops"
    assert count(engine, Item) == 1


def test_a_delivery_that_loses_the_race_returns_the_winners_answer(engine, monkeypatch):
    with unit_of_work(engine) as session:
        workshop_id = start(session).id
    with unit_of_work(engine) as session:
        winner, _ = answer(session, workshop_id, "msg:T1:C1:2.2")
    real_lookup = repo.item_by_dedupe_key
    lookups = iter([None])  # the loser looked before the winner committed
    monkeypatch.setattr(repo, "item_by_dedupe_key",
                        lambda session, **kw: next(lookups, None) or real_lookup(session, **kw))
    with unit_of_work(engine) as session:
        answer(session, workshop_id, "msg:T1:C1:3.3")
        loser, created = answer(session, workshop_id, "msg:T1:C1:2.2", text="the same, delivered twice")
    assert (loser.id, created) == (winner.id, False)
    assert count(engine, Item) == 2  # the savepoint kept the other answer in the loser's transaction


def test_deliveries_racing_in_threads_store_the_answer_once(engine):
    with unit_of_work(engine) as session:
        workshop_id = start(session).id
    racers = 8
    barrier = threading.Barrier(racers)

    def deliver(_):
        barrier.wait()
        with unit_of_work(engine) as session:
            item, created = answer(session, workshop_id, "msg:T1:C1:4.4")
            return item.id, created

    with ThreadPoolExecutor(racers) as pool:
        results = list(pool.map(deliver, range(racers)))
    assert len({item_id for item_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert count(engine, Item) == 1


# -- deleting --------------------------------------------------------------------------------------

def fill(session, workshop_id):
    repo.add_lead(session, workshop_id=workshop_id, user_id="U2")
    repo.record_step_post(session, workshop_id=workshop_id, step_key="end_user", channel_id="C1", ts="5.5")
    item, _ = answer(session, workshop_id, f"msg:T1:C1:{workshop_id}.6")
    session.add(Vote(workshop_id=workshop_id, item_id=item.id, user_id="U3"))
    repo.record_file(session, workshop_id=workshop_id, file_id="F1", kind="map")


CHILDREN = (WorkshopLead, StepPost, Item, Vote, FileRef)


def test_deleting_a_workshop_removes_all_that_belongs_to_it_and_nothing_else(engine):
    with unit_of_work(engine) as session:
        doomed = start(session)
        kept = start(session, channel_id="C2")
        fill(session, doomed.id)
        answer(session, kept.id, "msg:T1:C2:7.7")
    with unit_of_work(engine) as session:
        repo.delete_workshop(session, workshop_id=doomed.id)
    assert [count(engine, table) for table in (Workshop, *CHILDREN)] == [1, 1, 0, 1, 0, 0]


def test_the_database_cascades_a_deleted_workshop(engine):
    """ON DELETE CASCADE holds for anyone deleting a workshop row, e.g. by hand in psql."""
    with unit_of_work(engine) as session:
        fill(session, start(session).id)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM workshop"))
    assert [count(engine, table) for table in CHILDREN] == [0, 0, 0, 0, 0]


def test_a_unit_of_work_that_fails_after_storing_an_answer_keeps_nothing(engine):
    with unit_of_work(engine) as session:
        workshop_id = start(session).id
    with pytest.raises(RuntimeError), unit_of_work(engine) as session:
        answer(session, workshop_id, "msg:T1:C1:2.1")  # takes a savepoint on the way
        raise RuntimeError("the request failed after the answer was stored")
    assert count(engine, Item) == 0
