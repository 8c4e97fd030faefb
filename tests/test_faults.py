"""Faults: the database going away and Slack's Web API failing. Nothing a person typed is lost:
it is stored, or handed back to them; and nothing is stored by halves."""
import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.standin.session import open_standin
from storage.models import Item, StepPost, Workshop, WorkshopLead
from tests.test_workshop import (
    ANA,
    BRAM,
    LEAD,
    PEOPLE,
    block_text,
    posted_summary,
    section,
)


class Database:
    """The SQLite file's directory can vanish (a lost disk or mount) and come back."""

    def __init__(self, root: Path):
        self.home, self.away = root / "db", root / "db-away"
        self.url = f"sqlite:///{self.home / 'journeybot.sqlite3'}"

    def fail(self, engine) -> None:
        engine.dispose()  # pooled connections would keep the old file open
        self.home.rename(self.away)

    def recover(self) -> None:
        self.away.rename(self.home)


@pytest.fixture
def database(tmp_path):
    return Database(tmp_path)


@pytest.fixture
def slack(database):
    with open_standin(database_url=database.url, people=PEOPLE) as slack:
        slack.command(LEAD, "start Ordering online")
        yield slack


def rows(slack, model) -> list:
    with Session(slack.engine) as session:
        return list(session.exec(select(model)))


def end_user_answers(slack) -> str:
    slack.command(LEAD, "summary")
    return section(posted_summary(slack), "End user and problem")


def test_with_the_database_gone_a_modal_stays_open_with_the_text_in_it(slack, database):
    slack.people.click(ANA, message_ts=slack.open_prompt()["ts"], action_id="answer")
    view = slack.web_api.open_views(ANA)[-1]
    database.fail(slack.engine)
    errors = slack.people.submit(ANA, view["id"], {"text": "A teacher who orders books"})
    ack = json.loads(slack.people.last_response.body)
    assert ack == {"response_action": "errors", "errors": errors}  # Slack keeps the inputs' values then
    assert "could not be saved right now" in errors["text"] and "Your text is still here" in errors["text"]
    assert [v["id"] for v in slack.web_api.open_views(ANA)] == [view["id"]]

    database.recover()
    assert slack.people.submit(ANA, view["id"], {"text": "A teacher who orders books"}) == {}
    assert "A teacher who orders books" in end_user_answers(slack)


def test_with_the_database_gone_a_thread_reply_comes_back_privately(slack, database):
    prompt = slack.open_prompt()
    database.fail(slack.engine)
    # what Slack sends when Ana types "A parent & <b>teacher</b> ordering school books"
    reply = slack.reply(ANA, "A parent &amp; &lt;b&gt;teacher&lt;/b&gt; ordering school books")
    answer = slack.web_api.ephemerals(ANA)[-1]
    assert "could not be saved right now" in answer["text"]
    assert "A parent &amp; &lt;b&gt;teacher&lt;/b&gt; ordering school books" in answer["text"]
    assert answer["thread_ts"] == prompt["ts"]
    assert not slack.web_api.reactions(slack.channel, reply["ts"])  # no tick for an answer not stored

    database.recover()
    assert "ordering school books" not in end_user_answers(slack)
    slack.people.retry_last()  # Slack's own retry of the same event now lands
    assert "A parent &amp; &lt;b&gt;teacher&lt;/b&gt;" in end_user_answers(slack)


def test_with_the_database_gone_a_command_says_so_and_changes_nothing(slack, database):
    database.fail(slack.engine)
    assert "could not reach its database" in slack.command(LEAD, "next")
    database.recover()
    assert "step 1 of" in slack.command(LEAD, "status")


@pytest.mark.parametrize("method", ["reactions.add", "chat.update"])
def test_a_failed_confirmation_loses_no_answer(slack, method):
    slack.web_api.fail(method, error="internal_error", status=500, times=3)  # more than the retries
    slack.reply(ANA, "A parent ordering school books")
    assert len(slack.web_api.calls_of(method)) == 3  # the first try and slack_sdk's two retries
    assert "A parent ordering school books" in end_user_answers(slack)


def test_a_rate_limited_post_is_retried_after_the_wait(slack):
    slack.web_api.fail("chat.postMessage", status=429, retry_after=1)
    assert "Moved on to step 2" in slack.command(LEAD, "next")
    posts = slack.web_api.calls_of("chat.postMessage")[-2:]
    assert [call.get("error") for call in posts] == ["ratelimited", None]
    assert len(slack.prompts()) == 2


@pytest.mark.parametrize("error, answer", [("internal_error", "Slack did not accept the bot's message"),
                                           ("not_in_channel", "Invite it with `/invite @journeybot`")])
def test_a_start_whose_kickoff_slack_refuses_keeps_nothing(database, error, answer):
    with open_standin(database_url=database.url, people=PEOPLE) as slack:
        slack.web_api.fail("chat.postMessage", error=error)
        assert answer in slack.command(LEAD, "start Ordering online")
        assert rows(slack, Workshop) == rows(slack, WorkshopLead) == rows(slack, StepPost) == []
        assert "You started *Ordering online*" in slack.command(LEAD, "start Ordering online")


def test_a_next_whose_prompt_slack_refuses_stays_on_the_step(slack):
    slack.reply(ANA, "A parent ordering school books")
    slack.web_api.fail("chat.postMessage", error="internal_error")
    assert "Slack did not accept" in slack.command(LEAD, "next")
    assert "step 1 of" in slack.command(BRAM, "status")
    assert "1 answer from 1 person" in block_text(slack.open_prompt())
    slack.reply(BRAM, "A student")
    assert len(rows(slack, Item)) == 2
