"""Slack delivers some things twice: events are retried with the same event_id, people double-click,
a modal's Submit can arrive twice. Each is stored once and shown once."""
import pytest

from bot.standin.session import open_standin
from tests.test_workshop import (
    ANA,
    BRAM,
    LEAD,
    PEOPLE,
    block_text,
    posted_summary,
    section,
)


@pytest.fixture
def started(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as slack:
        slack.command(LEAD, "start Ordering online")
        yield slack


def visible_calls(slack) -> list[str]:
    """What the bot did that people can see, in order."""
    shown = {"chat.postMessage", "chat.postEphemeral", "chat.update", "reactions.add", "views.open", "response_url"}
    return [call["method"] for call in slack.web_api.calls if call["method"] in shown and call["ok"]]


def end_user_answers(slack) -> str:
    slack.command(LEAD, "summary")
    return section(posted_summary(slack), "End user and problem")


@pytest.mark.parametrize("reason", ["http_timeout", "http_error"])
def test_a_retried_reply_event_stores_one_answer_and_reacts_once(started, reason):
    reply = started.reply(ANA, "A parent ordering school books")
    seen = visible_calls(started)
    for _ in range(3):  # Slack retries up to three times
        assert started.people.retry_last(reason).status == 200
    assert visible_calls(started) == seen
    assert started.web_api.reactions(started.channel, reply["ts"]) == {"white_check_mark": ["U0JOURNEYBOT"]}
    assert "1 answer from 1 person" in block_text(started.open_prompt())
    assert end_user_answers(started).count("A parent ordering school books") == 1


def test_a_retried_edit_event_changes_the_answer_once(started):
    reply = started.reply(ANA, "A student")
    started.people.edit(ANA, started.channel, reply["ts"], "A student who rents a bike")
    started.people.retry_last()
    assert end_user_answers(started).count("A student who rents a bike") == 1


def test_a_modal_submitted_twice_stores_one_answer(started):
    assert started.answer_with_modal(BRAM, {"text": "Small offices without a purchasing department"}) == {}
    seen = visible_calls(started)
    response = started.people.replay()
    assert response.status == 200 and response.body == ""  # the modal just closes
    assert visible_calls(started) == seen
    assert end_user_answers(started).count("Small offices") == 1


def test_a_double_click_on_a_lane_button_files_the_answer_once(started):
    started.command(LEAD, "next")
    started.command(LEAD, "next")
    started.reply(ANA, "compares prices on three sites")
    question = started.web_api.ephemerals(ANA)[-1]
    started.people.click(ANA, message_ts=question["ts"], action_id="set_lane:does")
    started.people.replay()
    assert [e["text"] for e in started.web_api.ephemerals(ANA)] == ["Filed under *Does*: “compares prices on three sites”"]
    started.command(LEAD, "summary")
    assert section(posted_summary(started), "1. Awareness").count("compares prices on three sites") == 1


def test_a_double_click_on_answer_opens_one_modal(started):
    started.people.click(ANA, message_ts=started.open_prompt()["ts"], action_id="answer")
    started.people.replay()  # the same trigger_id, which Slack accepts once
    assert len(started.web_api.open_views(ANA)) == 1


def test_a_double_click_on_confirm_delete_deletes_and_announces_once(started):
    question = started.command(LEAD, "delete")
    assert "cannot be undone" in question
    ephemeral = started.web_api.ephemerals(LEAD)[-1]
    started.people.click(LEAD, message_ts=ephemeral["ts"], action_id="delete_confirm")
    started.people.replay()
    notes = [m for m in started.web_api.messages(started.channel) if "deleted the workshop" in m["text"]]
    assert len(notes) == 1
    assert "no journey workshop yet" in started.command(LEAD, "status")
