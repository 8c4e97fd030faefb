"""Answers that arrive together share one commit (storage/group_commit.py), and nobody notices but the disk:
each answer is stored once and confirmed, a failed commit hands every person their own text back and keeps
none of them, and a second delivery in the same commit stores nothing twice.

To make answers arrive together without timing, the tests hold the database's write lock (as a slow commit
would) until every answer waits behind it."""
from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from bot.standin import People
from bot.standin.payloads import message_event
from bot.standin.session import open_standin
from storage import group_commit
from storage.db import make_engine, sqlite_writer, unit_of_work
from tests.test_workshop import ANA, BRAM, CHLOE, LEAD, PEOPLE, posted_summary, section

CONFIRMED = "white_check_mark"


@contextmanager
def started(tmp_path, lang: str = "en"):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE, lang=lang) as slack:
        slack.command(LEAD, f"start Ordering online lang:{lang}")
        yield slack


@pytest.fixture
def slack(tmp_path):
    with started(tmp_path) as slack:
        yield slack


def queued(engine) -> int:
    return len(group_commit._queue_of(engine).units)


@contextmanager
def arriving_together(engine, count: int) -> Iterator[Callable[[Callable[[], object]], None]]:
    """``send(request)`` starts a request in a thread of its own; they all wait behind the held write lock
    until ``count`` units of work are queued, then go to the database together."""
    threads = []

    def send(request: Callable[[], object]) -> None:
        threads.append(threading.Thread(target=request))
        threads[-1].start()

    with sqlite_writer(engine):
        yield send
        deadline = time.monotonic() + 10
        while queued(engine) < count:
            assert time.monotonic() < deadline, f"{queued(engine)} of {count} answers arrived"
            time.sleep(0.01)
    for thread in threads:
        thread.join(10)


@contextmanager
def answer_commits(engine) -> Iterator[list]:
    """The commits that stored answers (the follow-ups' own units, which only read, are left out)."""
    writing, committed = set(), []

    def executed(connection, cursor, statement, *_):
        if statement.lstrip().upper().startswith("INSERT INTO ITEM"):
            writing.add(connection)

    def commit(connection):
        if connection in writing:
            writing.discard(connection)
            committed.append(connection)

    event.listen(engine, "before_cursor_execute", executed)
    event.listen(engine, "commit", commit)
    try:
        yield committed
    finally:
        event.remove(engine, "before_cursor_execute", executed)
        event.remove(engine, "commit", commit)


def person(slack) -> People:
    """One more client of the app, for a thread of its own (a People is not shared between threads)."""
    return People(slack.web_api, slack.app, signing_secret=slack.settings.signing_secret, channel=slack.channel)


def end_user_answers(slack) -> str:
    slack.command(LEAD, "summary")
    return section(posted_summary(slack), "End user and problem")


def stored_texts(slack) -> list[str]:
    with slack.engine.connect() as connection:
        return list(connection.execute(text("SELECT text FROM item ORDER BY id")).scalars())


def test_answers_arriving_together_are_stored_once_each_in_one_commit_and_all_confirmed(slack):
    prompt = slack.open_prompt()["ts"]
    texts = {ANA: "A parent ordering school books", BRAM: "A teacher & her class", CHLOE: "A café owner"}
    acks = {}
    with answer_commits(slack.engine) as seen, arriving_together(slack.engine, len(texts)) as send:
        for user, words in texts.items():
            client = person(slack)
            send(lambda user=user, words=words, client=client: acks.update(
                {user: (client.say(user, words, thread_ts=prompt), client.last_response.status)}))
    slack.people.executor.wait_idle()

    assert len(seen) == 1  # one commit for the three
    assert sorted(stored_texts(slack)) == sorted(texts.values())
    for user, (message, status) in acks.items():
        assert status == 200
        assert slack.web_api.reactions(slack.channel, message["ts"]) == {CONFIRMED: [slack.web_api.bot_user_id]}
    summary = end_user_answers(slack)
    assert all(summary.count(words.replace("&", "&amp;")) == 1 for words in texts.values())


def test_answers_submitted_in_modals_together_share_one_commit_and_every_modal_closes(slack):
    prompt = slack.open_prompt()["ts"]
    views = {}
    for user in (ANA, BRAM):
        slack.people.click(user, message_ts=prompt, action_id="answer")
        views[user] = slack.web_api.open_views(user)[-1]["id"]
    errors = {}
    with answer_commits(slack.engine) as seen, arriving_together(slack.engine, len(views)) as send:
        for user, words in ((ANA, "A parent ordering school books"), (BRAM, "A teacher")):
            client = person(slack)
            send(lambda user=user, words=words, client=client: errors.update(
                {user: client.submit(user, views[user], {"text": words})}))
    slack.people.executor.wait_idle()

    assert errors == {ANA: {}, BRAM: {}}
    assert slack.web_api.open_views(ANA) == slack.web_api.open_views(BRAM) == []
    assert len(seen) == 1
    assert sorted(stored_texts(slack)) == ["A parent ordering school books", "A teacher"]


@pytest.mark.parametrize("lang, failed", [("en", "could not be saved right now"),
                                           ("nl", "kon nu niet worden opgeslagen")])
def test_a_failed_shared_commit_gives_everyone_their_own_text_back_and_keeps_none(tmp_path, lang, failed):
    with started(tmp_path, lang) as slack:
        a_failed_shared_commit(slack, failed)


def a_failed_shared_commit(slack, failed: str) -> None:
    prompt = slack.open_prompt()["ts"]
    texts = {ANA: "A parent ordering school books", BRAM: "A teacher &amp; her class"}  # as Slack encodes "&"

    def disk_fails(connection):
        raise OperationalError("COMMIT", None, sqlite3.OperationalError("disk I/O error"))

    clients = {user: person(slack) for user in texts}
    event.listen(slack.engine, "commit", disk_fails)
    try:
        with arriving_together(slack.engine, len(texts)) as send:
            for user, words in texts.items():
                send(lambda user=user, words=words: clients[user].say(user, words, thread_ts=prompt))
    finally:
        event.remove(slack.engine, "commit", disk_fails)
    slack.people.executor.wait_idle()

    assert stored_texts(slack) == []
    for user, words in texts.items():
        answer = slack.web_api.ephemerals(user)[-1]
        assert failed in answer["text"] and words in answer["text"]
        assert texts[BRAM if user == ANA else ANA] not in answer["text"]
    assert not slack.web_api.calls_of("reactions.add")

    for client in clients.values():  # Slack's own retries now land
        assert client.retry_last().status == 200
    slack.people.executor.wait_idle()
    assert sorted(stored_texts(slack)) == ["A parent ordering school books", "A teacher & her class"]


def test_a_second_delivery_in_the_same_commit_stores_nothing_twice(slack):
    prompt = slack.open_prompt()["ts"]
    message = slack.web_api.post_as_user(ANA, slack.channel, {"text": "A parent ordering school books"},
                                         thread_ts=prompt)
    delivery = message_event(message, channel_id=slack.channel, channel_type="channel")
    statuses = []
    with arriving_together(slack.engine, 3) as send:
        for client in (person(slack), person(slack)):  # Slack delivers Ana's reply twice
            send(lambda client=client: statuses.append(client.event(delivery).status))
        bram = person(slack)
        send(lambda: statuses.append(bram.say(BRAM, "A teacher", thread_ts=prompt) and bram.last_response.status))
    slack.people.executor.wait_idle()

    assert statuses == [200, 200, 200]
    assert sorted(stored_texts(slack)) == ["A parent ordering school books", "A teacher"]
    confirmations = [call for call in slack.web_api.calls_of("reactions.add") if call["params"]["timestamp"] == message["ts"]]
    assert len(confirmations) == 1


def test_an_empty_reply_among_answers_arriving_together_is_refused_and_the_others_are_stored_once(slack):
    prompt = slack.open_prompt()["ts"]
    texts = {ANA: "A parent ordering school books", BRAM: "\u200b  ", CHLOE: "A café owner"}  # Bram's is empty
    sent = {}
    with arriving_together(slack.engine, len(texts)) as send:
        for user, words in texts.items():
            client = person(slack)
            send(lambda user=user, words=words, client=client: sent.update({user: client.say(user, words, thread_ts=prompt)}))
    slack.people.executor.wait_idle()

    assert sorted(stored_texts(slack)) == ["A café owner", "A parent ordering school books"]
    assert "nothing was stored" in slack.web_api.ephemerals(BRAM)[-1]["text"]
    assert not slack.web_api.ephemerals(ANA) and not slack.web_api.ephemerals(CHLOE)
    confirmed = [call["params"]["timestamp"] for call in slack.web_api.calls_of("reactions.add")]
    assert sorted(confirmed) == sorted([sent[ANA]["ts"], sent[CHLOE]["ts"]])


def test_a_unit_that_fails_in_a_shared_commit_keeps_nothing_and_the_others_are_stored(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'notes.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (words TEXT)"))

    def note(words: str, fail: bool = False):
        def work(session):
            session.connection().execute(text("INSERT INTO note VALUES (:words)"), {"words": words})
            if fail:
                raise ValueError(f"{words} changed its mind")
            return words
        return work

    results = {}

    def run(words: str, fail: bool = False) -> None:
        try:
            results[words] = group_commit.run_grouped(engine, note(words, fail))
        except ValueError as error:
            results[words] = str(error)

    with arriving_together(engine, 3) as send:
        for words, fail in (("U1", False), ("U2", True), ("U3", False)):
            send(lambda words=words, fail=fail: run(words, fail))

    assert results == {"U1": "U1", "U2": "U2 changed its mind", "U3": "U3"}
    with unit_of_work(engine) as session:
        assert sorted(session.connection().execute(text("SELECT words FROM note")).scalars()) == ["U1", "U3"]
    engine.dispose()
