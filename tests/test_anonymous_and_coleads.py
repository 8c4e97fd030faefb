"""Anonymous workshops never show who wrote what, yet people can still fix their own answers;
co-leads get the lead's controls. Through the real Bolt app, asserting what people see."""
import pytest

from bot.usecases import reporting
from bot.standin.session import open_standin
from bot.wiring.context import AppContext
from renderers import exports, pictures
from renderers.markdown import to_markdown
from renderers.slack import summary_message
from storage import repository as repo
from storage.db import unit_of_work
from tests.factories import drawn_texts
from tests.test_workshop import block_text, posted_summary, section

LEAD, ZELDA, QUINN, ORLA = "U0LEAD", "U0ZELDA", "U0QUINN", "U0ORLA"
PEOPLE = {LEAD: "Lena Lead", ZELDA: "Zelda Quillfeather", QUINN: "Quinn Marbleworth", ORLA: "Orla Thistlewood"}
AUTHORS = ("Zelda", "Quillfeather", "Quinn", "Marbleworth", "Orla", "Thistlewood")


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        yield local


def everything_the_channel_shows(slack) -> str:
    texts = []
    for message in slack.web_api.messages(slack.channel):
        for shown in slack.web_api.thread(slack.channel, message["ts"]):
            if shown.get("bot_id"):
                texts += [shown["text"], block_text(shown)]
    return "\n".join(texts)


def test_an_anonymous_workshop_never_names_who_wrote_what(slack, monkeypatch):
    slack.command(LEAD, "start Ordering online anonymous:on")
    kickoff = slack.web_api.messages(slack.channel)[0]
    assert "This workshop is anonymous" in kickoff["text"] and "*Answer* button" in kickoff["text"]

    slack.answer_with_modal(ZELDA, {"text": "A freelance designer"})
    mistake = slack.reply(QUINN, "A small ofice")
    slack.people.edit(QUINN, slack.channel, mistake["ts"], "A small office")  # people still fix their own answers
    assert "2 people have answered this step." in slack.command(ORLA, "status")
    for _ in range(2):
        slack.command(LEAD, "next")  # phases, then phase 1
    slack.reply(ORLA, "compares prices")  # unclear: the bot asks its author privately
    question = slack.web_api.ephemerals(ORLA)[-1]
    slack.people.click(ORLA, channel=slack.channel, message_ts=question["ts"], action_id="set_lane:does")
    slack.reply(ZELDA, "feels: :( lost")
    slack.command(ZELDA, "hmw add How might we guide people?")
    slack.command(LEAD, "hmw")
    vote_message = slack.web_api.messages(slack.channel)[-1]
    vote_button = next(b["accessory"]["action_id"] for b in vote_message["blocks"] if b.get("accessory"))
    slack.people.click(QUINN, channel=slack.channel, message_ts=vote_message["ts"], action_id=vote_button)
    slack.command(LEAD, "remind")
    slack.command(LEAD, "summary")

    summary = posted_summary(slack)
    assert section(summary, "End user and problem") == "• A freelance designer\n• A small office\n"
    assert "• compares prices\n" in section(summary, "1. Awareness")
    assert "• How might we guide people? *1 vote*\n" in section(summary, "How might we …")
    shown = everything_the_channel_shows(slack) + slack.command(ZELDA, "summary") + slack.command(ZELDA, "status")

    with unit_of_work(slack.engine) as session:
        workshop = repo.latest_workshop(session, team_id=slack.web_api.team_id, channel_id=slack.channel)
    view = reporting.workshop_summary(slack.app.client, AppContext(slack.engine, slack.settings), workshop)
    journey_map = drawn_texts(monkeypatch, pictures.journey_map_png, view)
    assert "compares prices" in journey_map and "anonymous" in journey_map
    shown += "\n".join([str(summary_message(view).blocks), to_markdown(view), exports.to_html(view),
                        exports.to_json(view), exports.to_csv(view), journey_map,
                        drawn_texts(monkeypatch, pictures.storyboard_png, view)])
    assert "A small office" in shown and "guide people" in shown
    for name in AUTHORS:
        assert name not in shown
    assert ZELDA not in shown and QUINN not in shown and ORLA not in shown


def test_a_named_workshop_still_shows_names_in_status(slack):
    slack.command(LEAD, "start Ordering online")
    slack.reply(ZELDA, "A freelance designer")
    assert "Answered this step: Zelda Quillfeather." in slack.command(QUINN, "status")
    assert "anonymous" not in slack.web_api.messages(slack.channel)[0]["text"]


# -- co-leads --------------------------------------------------------------------------------------

def test_a_lead_adds_a_co_lead_by_mention_who_then_has_the_same_controls(slack):
    slack.command(LEAD, "start Ordering online template:understand")
    assert "Only the workshop's lead" in slack.command(ZELDA, "next")
    answer = slack.command(LEAD, f"lead <@{ZELDA}|zelda>")  # how Slack sends a mention it escapes
    assert f"<@{ZELDA}> is now a co-lead" in answer
    assert f"<@{ZELDA}> now co-leads *Ordering online*" in slack.web_api.messages(slack.channel)[-1]["text"]

    assert "Moved on to step 2" in slack.command(ZELDA, "next")
    assert "are due" in slack.command(ZELDA, "due 2d")
    assert f"<@{QUINN}> is now a co-lead" in slack.command(ZELDA, f"lead <@{QUINN}>")
    slack.command(QUINN, "close")
    assert "is closed" in slack.web_api.messages(slack.channel)[-1]["text"]


def test_co_leads_are_added_only_by_a_lead_and_only_people_by_mention(slack):
    slack.command(LEAD, "start Ordering online")
    messages = len(slack.web_api.messages(slack.channel))
    assert "Only the workshop's lead" in slack.command(ZELDA, f"lead <@{ZELDA}>")
    assert "Name the new co-lead with a mention" in slack.command(LEAD, "lead @zelda")  # unescaped text names nobody
    assert "is an app, not a person" in slack.command(LEAD, f"lead <@{slack.web_api.bot_user_id}>")
    assert "already leads" in slack.command(LEAD, f"lead <@{LEAD}>")
    assert len(slack.web_api.messages(slack.channel)) == messages
    assert "Only the workshop's lead" in slack.command(ZELDA, "next")
