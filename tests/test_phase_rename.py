"""A lead changes the phase list after insights were given in a phase's thread: signed Slack-shaped requests
through the real Bolt app against the stand-in. Journey notes sit in a phase by its position; the insights given
beside them move with them (renamed in place, swapped, dropped and filled again), in the summary, the map,
the Markdown and the JSON and CSV exports."""
import csv
import io
import json
from types import SimpleNamespace

import pytest
from sqlmodel import select

from bot.standin.session import open_standin
from storage import repository as repo
from storage.db import unit_of_work
from storage.models import Workshop
from tests.test_first_week import exported
from tests.test_phase_thread_insights import WORDS, at_phase_two, drawn_map, opportunities_of, posted_summary
from tests.test_pictures import column_of
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE

PHASES = {  # the first list is WORDS' own; the renamed one changes the second phase's name
    "en": {"renamed": "Research, Buying, Use", "buying": "Buying", "use": "Use", "swapped": "Research, Use, Purchase",
           "shorter": "Research, Purchase", "refilled": "Research, Purchase, Feedback", "feedback": "Feedback"},
    "nl": {"renamed": "Oriëntatie, Aankopen, Gebruik", "buying": "Aankopen", "use": "Gebruik",
           "swapped": "Oriëntatie, Gebruik, Aankoop", "shorter": "Oriëntatie, Aankoop",
           "refilled": "Oriëntatie, Aankoop, Terugblik", "feedback": "Terugblik"},
}


@pytest.fixture
def slack(database_url):
    """The real app against the stand-in, on SQLite and on PostgreSQL (which locks the workshop's row)."""
    with open_standin(database_url=database_url, people=PEOPLE, canvas_default=True) as local:
        yield local


def insight_and_note_in_phase_two(slack, lang: str) -> None:
    """Ana's insight and Bram's journey note, both given in the second phase's thread."""
    at_phase_two(slack, lang)
    slack.reply(ANA, f"{WORDS[lang]['insight']}: shipping costs show up only at checkout")
    slack.reply(BRAM, "does: fills in the order form")


def phase_section(summary: str, heading: str) -> str:
    """A phase's part of the summary's journey: from its heading to the next one."""
    return summary.split(f"*{heading}*", 1)[1].split("\n*", 1)[0]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_an_insight_stays_in_its_phase_when_the_lead_renames_it(slack, lang, monkeypatch):
    words, phases = WORDS[lang], PHASES[lang]
    insight_and_note_in_phase_two(slack, lang)
    slack.command(LEAD, f"phases {phases['renamed']}")

    drawn = drawn_map(slack, monkeypatch)
    assert column_of(drawn["shipping costs show up only at checkout"], SimpleNamespace(phases=[1, 2, 3])) == 2
    assert words["whole"] not in drawn  # no band for the whole journey: nothing fell into it
    summary = posted_summary(slack, lang)
    assert "fills in the order form — _Bram_" in phase_section(summary, f"2. {phases['buying']}")
    assert opportunities_of(summary, lang).split("\n") == [
        f"_2. {phases['buying']}_", "• shipping costs show up only at checkout — _Ana_"]
    markdown = exported(slack, "md")
    assert f"**2\\. {phases['buying']}**\n\n- shipping costs show up only at checkout — Ana" in markdown
    assert words["whole"] not in markdown
    document = json.loads(exported(slack, "json"))
    assert [(item["text"], item["phase"]) for item in document["insights"]] == [
        ("shipping costs show up only at checkout", phases["buying"])]
    assert [theme["phase"] for theme in document["insight_themes"]] == [2]
    assert [item["phase"] for item in document["phases"][1]["lanes"]["does"]] == [phases["buying"]]
    rows = {row["text"]: row["phase"] for row in csv.DictReader(io.StringIO(exported(slack, "csv")))}
    assert rows["shipping costs show up only at checkout"] == rows["fills in the order form"] == phases["buying"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_swapped_phases_carry_their_insights_along_as_their_notes(slack, lang, monkeypatch):
    words, phases = WORDS[lang], PHASES[lang]
    insight_and_note_in_phase_two(slack, lang)
    slack.command(LEAD, "next")
    slack.reply(ANA, f"{words['opportunity']}: the manual is hard to find")
    slack.reply(BRAM, "does: unpacks the parcel")
    slack.command(LEAD, f"phases {phases['swapped']}")  # the notes stay in their columns, under the new names

    drawn = drawn_map(slack, monkeypatch)
    three_phases = SimpleNamespace(phases=[1, 2, 3])
    assert column_of(drawn["shipping costs show up only at checkout"], three_phases) == column_of(
        drawn["fills in the order form"], three_phases) == 2
    assert column_of(drawn["the manual is hard to find"], three_phases) == column_of(
        drawn["unpacks the parcel"], three_phases) == 3
    summary = posted_summary(slack, lang)
    assert "fills in the order form" in phase_section(summary, f"2. {phases['use']}")
    assert "unpacks the parcel" in phase_section(summary, f"3. {words['purchase']}")
    assert opportunities_of(summary, lang).split("\n") == [
        f"_2. {phases['use']}_", "• shipping costs show up only at checkout — _Ana_",
        f"_3. {words['purchase']}_", "• the manual is hard to find — _Ana_"]
    markdown = exported(slack, "md")
    assert markdown.index(f"**2\\. {phases['use']}**\n\n- shipping costs") < markdown.index(
        f"**3\\. {words['purchase']}**\n\n- the manual is hard to find")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_insights_of_a_dropped_phase_stay_with_its_notes_and_follow_them_into_a_new_phase(slack, lang):
    words, phases = WORDS[lang], PHASES[lang]
    at_phase_two(slack, lang)
    slack.command(LEAD, "next")  # the third phase
    slack.reply(ANA, f"{words['insight']}: the manual is hard to find")
    slack.reply(BRAM, "does: unpacks the parcel")
    slack.command(LEAD, f"phases {phases['shorter']}")
    slack.command(LEAD, "summary")
    summary = posted_summary(slack, lang)  # the dropped phase keeps its notes in a column of its own, as before
    assert "unpacks the parcel" in phase_section(summary, f"3. {phases['use']}")
    assert opportunities_of(summary, lang).split("\n") == [
        f"_3. {phases['use']}_", "• the manual is hard to find — _Ana_"]

    slack.command(LEAD, f"phases {phases['refilled']}")  # the third place is a phase again: its notes are in it
    slack.command(LEAD, "summary")
    summary = posted_summary(slack, lang)
    assert "unpacks the parcel" in phase_section(summary, f"3. {phases['feedback']}")
    assert opportunities_of(summary, lang).split("\n") == [
        f"_3. {phases['feedback']}_", "• the manual is hard to find — _Ana_"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_an_insight_follows_its_phase_renamed_to_a_hostile_name(slack, lang):
    words = WORDS[lang]
    at_phase_two(slack, lang)
    slack.reply(ANA, f"{words['insight']}: shipping costs show up only at checkout")
    research = words["phases"].split(", ")[0]
    slack.command(LEAD, f"phases {research}, <!channel> & <b>, {PHASES[lang]['use']}")
    hostile = "@channel &amp; &lt;b&gt;"  # the channel ping arrives as Slack's token and is stored as seen
    assert hostile in slack.web_api.ephemerals(LEAD)[-1]["text"]
    slack.command(LEAD, "summary")
    summary = [m for m in slack.web_api.messages(slack.channel) if m["text"].startswith(words["summary"])][-1]
    assert "<!channel>" not in json.dumps(summary) and "<b>" not in json.dumps(summary)
    assert opportunities_of(posted_summary(slack, lang), lang).split("\n") == [
        f"_2. {hostile}_", "• shipping costs show up only at checkout — _Ana_"]
    markdown = exported(slack, "md")
    assert "<!channel>" not in markdown and "shipping costs show up only at checkout — Ana" in markdown


@pytest.mark.parametrize(("lang", "phases", "renamed"), [
    ("en", "Research, Purchase, Use", "Research, Purchase, Using"),
    ("nl", "Oriëntatie, Aankoop, Gebruik", "Oriëntatie, Aankoop, Nazorg"),
])
def test_an_insight_naming_its_phase_in_the_opportunities_thread_follows_the_rename(slack, lang, phases, renamed):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    slack.command(LEAD, "next")
    slack.command(LEAD, f"phases {phases}")
    for _ in range(4):
        slack.command(LEAD, "next")
    note = f"{phases.rsplit(', ', 1)[1]}: the manual is hard to find"
    slack.reply(ANA, note)  # in the opportunities' thread, naming the third phase
    slack.command(LEAD, f"phases {renamed}")
    slack.command(LEAD, "summary")
    assert opportunities_of(posted_summary(slack, lang), lang).split("\n") == [
        f"_3. {renamed.rsplit(', ', 1)[1]}_", f"• {note} — _Ana_"]  # as written, in the renamed phase


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_insights_left_behind_by_an_earlier_rename_find_their_phase_again(slack, lang, monkeypatch):
    phases = PHASES[lang]
    insight_and_note_in_phase_two(slack, lang)
    with unit_of_work(slack.engine) as session:  # renamed as journeybot did before: the phases alone
        workshop = session.exec(select(Workshop)).one()
        repo.set_phases(session, workshop_id=workshop.id, phases=phases["renamed"].split(", "))

    drawn = drawn_map(slack, monkeypatch)  # the note given under the old name says where it was
    assert column_of(drawn["shipping costs show up only at checkout"], SimpleNamespace(phases=[1, 2, 3])) == 2
    assert opportunities_of(posted_summary(slack, lang), lang).split("\n") == [
        f"_2. {phases['buying']}_", "• shipping costs show up only at checkout — _Ana_"]
    slack.command(LEAD, f"phases {phases['swapped']}")  # from here on they move with their place
    slack.command(LEAD, "summary")
    assert opportunities_of(posted_summary(slack, lang), lang).split("\n") == [
        f"_2. {phases['use']}_", "• shipping costs show up only at checkout — _Ana_"]
