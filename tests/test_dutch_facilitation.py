"""The facilitation features in Dutch: deadlines and reminders, co-leads, anonymity, the vote on
"Hoe kunnen we"-vragen, the Home tab and deleting, through the real Bolt app."""
import pytest

from bot.standin.session import open_standin
from tests.test_deadlines import direct_messages
from tests.test_home import home_of, home_text
from tests.test_votes import board, vote
from tests.test_workshop import block_text

LEAD, ANA, BRAM, ZELDA = "U0LEAD", "U0ANA", "U0BRAM", "U0ZELDA"
PEOPLE = {LEAD: "Lotte", ANA: "Ana", BRAM: "Bram", ZELDA: "Zelda"}


@pytest.fixture
def slack(tmp_path):
    # A Dutch team sets JOURNEYBOT_LANG=nl: the Home tab, which lists every workshop, speaks it.
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE, lang="nl") as local:
        local.command(LEAD, "start Online bestellen lang:nl template:understand anonymous:on votes:2")
        yield local


def test_deadlines_reminders_and_co_leads_speak_dutch(slack):
    assert "Deze workshop is anoniem" in slack.web_api.messages(slack.channel)[0]["text"]
    assert "Door naar stap 2" in slack.command(LEAD, "next due:2d")
    assert "Antwoorden graag vóór" in block_text(slack.open_prompt())
    assert slack.web_api.scheduled(), "the reminder is scheduled with Slack"

    slack.reply(ANA, "Onderzoek, Aankoop, Gebruik")
    answer = slack.command(LEAD, "remind")
    assert "1 van de 4 mensen in dit kanaal hebben" in answer
    assert "wacht op jouw antwoorden" in direct_messages(slack, BRAM)[0]["text"]
    assert "1 persoon heeft deze stap beantwoord." in slack.command(BRAM, "status")

    assert "Alleen de leider" in slack.command(ZELDA, "next")
    assert "is nu medeleider" in slack.command(LEAD, f"lead <@{ZELDA}|zelda>")
    assert "Door naar stap 3" in slack.command(ZELDA, "next")


def test_the_vote_the_home_tab_and_deleting_speak_dutch(slack):
    assert "Toegevoegd" in slack.command(ANA, "hmw add Hoe kunnen we de prijs eerder laten zien?")
    assert "De stemming staat in het kanaal" in slack.command(LEAD, "hmw")
    assert "Stemmen:" in board(slack)["text"]
    assert "Je stemde op" in vote(slack, BRAM, "Hoe kunnen we de prijs eerder laten zien?")

    home = home_text(home_of(slack, BRAM))
    assert "Jouw journey-workshops" in home and "Online bestellen" in home

    question = slack.command(LEAD, "delete")
    assert "verwijderen, met elk antwoord" in question
    prompt = slack.web_api.ephemerals(LEAD)[-1]
    slack.people.click(LEAD, channel=slack.channel, message_ts=prompt["ts"], action_id="delete_confirm")
    assert "zijn uit journeybot verwijderd" in slack.web_api.ephemerals(LEAD)[-1]["text"]
    assert "Dit kanaal heeft nog geen journey-workshop" in slack.command(BRAM, "status")
