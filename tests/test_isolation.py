"""Who may do what: only leads steer or delete a workshop, and nothing from another channel or
workspace reads or changes it, even with a forged button value or modal metadata."""
import json

import pytest
from sqlmodel import Session, select

from bot.standin.session import open_standin
from bot.standin import People
from storage.models import Item, Workshop
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE

OTHER_CHANNEL, OTHER_TEAM, OTTO = "C0OTHER", "T0ELSEWHERE", "U0OTTO"  # Otto works in the other workspace


@pytest.fixture
def slack(tmp_path):
    # The stand-in has one set of channels, so Otto is a member of the channel ids his workspace uses, too.
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}",
                     people={**PEOPLE, OTTO: "Otto"}) as slack:
        slack.web_api.add_channel(OTHER_CHANNEL, "other-workshop", [LEAD, ANA, BRAM, OTTO])
        slack.command(LEAD, "start Ordering online")
        yield slack


@pytest.fixture
def elsewhere(slack):
    """A second workspace sending to the same app; its channel even has the same id."""
    return People(slack.web_api, slack.app, signing_secret=slack.settings.signing_secret, team_id=OTHER_TEAM,
                          channel=slack.channel, listener_executor=slack.people.executor)


def rows(slack, model) -> list:
    with Session(slack.engine) as session:
        return list(session.exec(select(model)))


def answer_key(slack) -> tuple[int, str]:
    workshop_id, _, step = next(e["value"] for b in slack.open_prompt()["blocks"] for e in b.get("elements", [])
                                if e.get("action_id") == "answer").partition(":")
    return int(workshop_id), step


def test_only_a_lead_deletes_or_posts_the_summary_to_the_channel(slack):
    before = slack.web_api.messages(slack.channel)
    assert "Only the workshop's lead (<@U0LEAD>)" in slack.command(ANA, "delete")
    assert slack.command(ANA, "summary").startswith("Journey summary")
    assert slack.web_api.messages(slack.channel) == before
    assert len(rows(slack, Workshop)) == 1


def test_a_lead_of_another_channel_cannot_confirm_this_channels_deletion(slack):
    workshop_id, _ = answer_key(slack)
    slack.people.slash(BRAM, "start Bram's own", channel=OTHER_CHANNEL)
    slack.people.slash(BRAM, "delete", channel=OTHER_CHANNEL)
    question = slack.web_api.ephemerals(BRAM)[-1]
    slack.people.click(BRAM, channel=OTHER_CHANNEL, message_ts=question["ts"], action_id="delete_confirm",
                       value=str(workshop_id))
    assert "nothing was done" in slack.web_api.ephemerals(BRAM)[-1]["text"]
    assert {w.title for w in rows(slack, Workshop)} == {"Ordering online", "Bram's own"}


def test_a_forged_answer_button_from_another_channel_opens_nothing(slack):
    slack.people.slash(BRAM, "start Bram's own", channel=OTHER_CHANNEL)
    theirs = next(m for m in reversed(slack.web_api.messages(OTHER_CHANNEL)) if m.get("blocks"))
    workshop_id, step = answer_key(slack)
    slack.people.click(ANA, channel=OTHER_CHANNEL, message_ts=theirs["ts"], action_id="answer",
                       value=f"{workshop_id}:{step}")
    assert not slack.web_api.open_views(ANA)
    assert "That step is closed" in slack.web_api.ephemerals(ANA)[-1]["text"]


def test_another_workspace_sees_and_changes_nothing(slack, elsewhere):
    prompt = slack.open_prompt()
    slack.reply(ANA, "A parent ordering school books")
    workshop_id, step = answer_key(slack)
    items = rows(slack, Item)

    for text in ("status", "summary", "next", "close", "delete"):
        elsewhere.slash(OTTO, text)
        assert "no journey workshop" in slack.web_api.ephemerals(OTTO)[-1]["text"]
    elsewhere.say(OTTO, "a reply from elsewhere", thread_ts=prompt["ts"])
    elsewhere.click(OTTO, message_ts=prompt["ts"], action_id="answer")
    assert not slack.web_api.open_views(OTTO)
    elsewhere.click(OTTO, message_ts=prompt["ts"], action_id="answer", value=f"{workshop_id}:{step}")
    assert not slack.web_api.open_views(OTTO)
    assert rows(slack, Item) == items

    # a workshop of its own, in a channel with the same id, is separate
    elsewhere.slash(OTTO, "start Theirs")
    assert "You started *Theirs*" in slack.web_api.ephemerals(OTTO)[-1]["text"]
    assert "*Ordering online*" in slack.command(ANA, "status")


def test_forged_modal_metadata_from_another_workspace_stores_nothing(slack, elsewhere):
    workshop_id, step = answer_key(slack)
    elsewhere.slash(OTTO, "start Theirs", channel=OTHER_CHANNEL)
    theirs = next(m for m in reversed(slack.web_api.messages(OTHER_CHANNEL)) if m.get("blocks"))
    elsewhere.click(OTTO, channel=OTHER_CHANNEL, message_ts=theirs["ts"], action_id="answer")
    view = slack.web_api.open_views(OTTO)[-1]
    assert elsewhere.submit(OTTO, view["id"], {"text": "their own answer"}) == {}

    def forge(payload):
        payload["view"]["id"] = "V0FORGED"
        payload["view"]["private_metadata"] = json.dumps({"w": workshop_id, "s": step})
        payload["view"]["state"]["values"]["text"]["value"]["value"] = "planted"

    ack = json.loads(elsewhere.replay(forge).body)
    assert ack["response_action"] == "errors" and "This step was closed" in ack["errors"]["text"]
    assert [item.text for item in rows(slack, Item)] == ["their own answer"]


def test_a_forged_lane_button_cannot_refile_another_workspaces_answer(slack, elsewhere):
    slack.command(LEAD, "next")
    slack.command(LEAD, "next")
    slack.reply(ANA, "compares prices")
    anas_item = rows(slack, Item)[0]
    elsewhere.slash(OTTO, "start Theirs", channel=OTHER_CHANNEL)
    for _ in range(2):
        elsewhere.slash(OTTO, "next", channel=OTHER_CHANNEL)
    theirs = next(m for m in reversed(slack.web_api.messages(OTHER_CHANNEL)) if m.get("blocks"))
    elsewhere.say(OTTO, "reads reviews", channel=OTHER_CHANNEL, thread_ts=theirs["ts"])
    question = slack.web_api.ephemerals(OTTO)[-1]
    elsewhere.click(OTTO, channel=OTHER_CHANNEL, message_ts=question["ts"], action_id="set_lane:thinks",
                    value=f"{anas_item.id}:thinks")
    assert "another channel or workspace" in slack.web_api.ephemerals(OTTO)[-1]["text"]
    assert rows(slack, Item)[0].lane == anas_item.lane is None
