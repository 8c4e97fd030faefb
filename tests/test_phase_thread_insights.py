"""An insight or opportunity given in a phase's thread (issue 14): signed Slack-shaped messages through the
real Bolt app against the stand-in. It is filed with the opportunities, placed in that phase, and shows there
wherever the summary places insights: the map's column, the summary, exports and the canvas."""
import csv
import io
import json
from types import SimpleNamespace

import pytest

from bot.standin.session import open_standin
from renderers.sheet import Sheet
from tests.test_first_week import exported, prompt_text
from tests.test_pictures import column_of
from tests.test_workshop import ANA, BRAM, CHLOE, LEAD, PEOPLE, block_text

WORDS = {
    "en": {"phases": "Research, Purchase, Use", "insight": "insight", "opportunity": "opportunity",
           "other": "kans", "opportunities": "Opportunities and insights", "whole": "Across the whole journey",
           "summary": "Journey summary", "lane_only": "said nothing after it", "filed": "Filed under",
           "count_one": "1 answer from 1 person so far.", "count_two": "2 answers from 2 people so far.",
           "count_three": "3 answers from 2 people so far.", "does": "Does", "purchase": "Purchase"},
    "nl": {"phases": "Oriëntatie, Aankoop, Gebruik", "insight": "inzicht", "opportunity": "kans",
           "other": "insight", "opportunities": "Kansen en inzichten", "whole": "Over de hele journey",
           "summary": "Samenvatting van de reis", "lane_only": "daarna stond er niets",
           "filed": "Geplaatst onder", "count_one": "Tot nu toe 1 antwoord van 1 persoon.",
           "count_two": "Tot nu toe 2 antwoorden van 2 mensen.",
           "count_three": "Tot nu toe 3 antwoorden van 2 mensen.", "does": "Doet",
           "purchase": "Aankoop"},
}


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE,
                      canvas_default=True) as local:
        yield local


def at_phase_two(slack, lang: str) -> None:
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    slack.command(LEAD, "next")
    slack.command(LEAD, f"phases {WORDS[lang]['phases']}")
    slack.command(LEAD, "next")
    slack.command(LEAD, "next")


def posted_summary(slack, lang: str) -> str:
    return block_text([m for m in slack.web_api.messages(slack.channel)
                       if m["text"].startswith(WORDS[lang]["summary"])][-1])


def opportunities_of(summary: str, lang: str) -> str:
    """The summary's opportunities section: from its title to the next section's."""
    return summary.split(f"*{WORDS[lang]['opportunities']}*\n", 1)[1].split("\n*", 1)[0]


def drawn_map(slack, monkeypatch) -> dict[str, float]:
    """The lead posts the summary; {text: x} of every text drawn in its pictures."""
    drawn = {}
    original = Sheet.text
    monkeypatch.setattr(Sheet, "text", lambda sheet, x, y, text, *args, **kwargs: (
        drawn.setdefault(text, x), original(sheet, x, y, text, *args, **kwargs))[1])
    slack.command(LEAD, "summary")
    monkeypatch.setattr(Sheet, "text", original)
    return drawn


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_an_insight_given_in_a_phases_thread_sits_in_that_phase_everywhere(slack, lang, monkeypatch):
    words = WORDS[lang]
    at_phase_two(slack, lang)
    phase_prompt = slack.open_prompt()
    assert f"`{words['insight']}:`" in prompt_text(slack, phase_prompt)  # the prompt says how
    reply = slack.reply(ANA, f"{words['insight']}: shipping costs show up only at checkout")
    assert slack.web_api.reactions(slack.channel, reply["ts"]) == {"white_check_mark": ["U0JOURNEYBOT"]}
    assert slack.answer_with_modal(BRAM, {"lane": "insight", "text": "a live chat while paying"}) == {}
    slack.reply(CHLOE, "does: fills in the order form")
    assert prompt_text(slack, phase_prompt).endswith(words["count_one"])  # the insights count with the opportunities
    slack.command(LEAD, "next")
    slack.command(LEAD, "next")  # the opportunities: one for the whole journey
    opportunities_prompt = slack.open_prompt()
    assert prompt_text(slack, opportunities_prompt).endswith(words["count_two"])  # given in the phase's thread
    slack.reply(ANA, "people want to talk to a person")
    assert prompt_text(slack, opportunities_prompt).endswith(words["count_three"])

    drawn = drawn_map(slack, monkeypatch)
    three_phases = SimpleNamespace(phases=[1, 2, 3])
    assert column_of(drawn["shipping costs show up only at checkout"], three_phases) == 2
    assert column_of(drawn["a live chat while paying"], three_phases) == 2
    assert words["whole"] in drawn  # the whole journey's band, under the phases

    summary = posted_summary(slack, lang)
    purchase = summary.split(f"*2. {words['purchase']}*", 1)[1].split("\n*", 1)[0]
    assert "shipping costs" not in purchase and "fills in the order form" in purchase  # not a Does note
    assert opportunities_of(summary, lang).split("\n") == [
        f"_2. {words['purchase']}_",
        "• shipping costs show up only at checkout — _Ana_",
        "• a live chat while paying — _Bram_",
        f"_{words['whole']}_",
        "• people want to talk to a person — _Ana_",
    ]
    markdown = exported(slack, "md")
    assert f"**2\\. {words['purchase']}**\n\n- shipping costs show up only at checkout — Ana" in markdown
    html = exported(slack, "html").split('<section class="insights">', 1)[1]
    assert html.index(f"<h3>2. {words['purchase']}</h3>") < html.index("shipping costs") < html.index(
        f"<h3>{words['whole']}</h3>") < html.index("people want to talk")
    document = json.loads(exported(slack, "json"))
    assert {item["text"]: item["phase"] for item in document["insights"]} == {
        "shipping costs show up only at checkout": words["purchase"], "a live chat while paying": words["purchase"],
        "people want to talk to a person": None}
    assert [theme["phase"] for theme in document["insight_themes"]] == [2, 2, None]
    assert not any("shipping" in item["text"] for lane in document["phases"][1]["lanes"].values() for item in lane)
    rows = list(csv.DictReader(io.StringIO(exported(slack, "csv"))))
    shipping = next(row for row in rows if row["text"].startswith("shipping"))
    assert (shipping["lane"], shipping["phase"], shipping["step"]) == ("insight", words["purchase"], "opportunities")
    (canvas,) = slack.web_api.canvases()
    assert f"**2\\. {words['purchase']}**\n\n- shipping costs show up only at checkout" in canvas["markdown"]
    drafts = [line for line in summary.split("\n") if "shipping costs" in line and "(" in line]
    assert drafts, "an insight placed in a phase still gets its 'How might we' draft"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_misnamed_insight_is_sorted_into_the_opportunities_of_its_phase(slack, lang):
    words = WORDS[lang]
    at_phase_two(slack, lang)
    phase_prompt = slack.open_prompt()
    slack.reply(ANA, "opp: offer a pickup point")  # no lane: stored, not sorted yet, and asked
    assert prompt_text(slack, phase_prompt).endswith(words["count_one"])
    question = slack.web_api.ephemerals(ANA)[-1]
    assert "set_lane:insight" in json.dumps(question["blocks"])
    slack.people.click(ANA, message_ts=question["ts"], action_id="set_lane:insight")
    assert f"{words['filed']} *{words['opportunities']}*" in slack.web_api.ephemerals(ANA)[-1]["text"]
    assert "1 " not in prompt_text(slack, phase_prompt).rsplit("\n", 1)[-1]  # it left the phase's count
    slack.command(LEAD, "summary")
    assert opportunities_of(posted_summary(slack, lang), lang).split("\n")[:2] == [
        f"_2. {words['purchase']}_", "• offer a pickup point — _Ana_"]  # "opp:" was meant as "opportunity:"


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_an_edit_moves_an_answer_between_its_phases_lane_and_the_opportunities(slack, lang):
    words = WORDS[lang]
    at_phase_two(slack, lang)
    reply = slack.reply(ANA, f"{words['opportunity']}: compare the shops for me")
    slack.people.edit(ANA, slack.channel, reply["ts"], "does: compares the shops")
    slack.command(LEAD, "summary")
    summary = posted_summary(slack, lang)
    assert "compares the shops — _Ana_" in summary.split(f"*2. {words['purchase']}*", 1)[1].split("\n*", 1)[0]
    slack.people.edit(ANA, slack.channel, reply["ts"], f"{words['insight']}: compare the shops for me")
    slack.command(LEAD, "summary")
    assert "compare the shops for me" in opportunities_of(posted_summary(slack, lang), lang)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_hostile_insights_in_a_phases_thread(slack, lang):
    words = WORDS[lang]
    at_phase_two(slack, lang)
    phase_prompt = slack.open_prompt()
    empty = slack.reply(ANA, f"{words['insight']}:")
    assert words["lane_only"] in slack.web_api.ephemerals(ANA)[-1]["text"]
    assert f"*{words['opportunities']}*" in slack.web_api.ephemerals(ANA)[-1]["text"]
    assert slack.web_api.reactions(slack.channel, empty["ts"]) == {}
    slack.reply(BRAM, f"{words['insight']}: <@U0LEAD> <!channel> call <https://evil.example|here> & *now*")
    other = slack.reply(CHLOE, f"{words['other']}: the reviews are hidden")
    slack.command(LEAD, "summary")
    summary = [m for m in slack.web_api.messages(slack.channel) if m["text"].startswith(words["summary"])][-1]
    opportunities = opportunities_of(block_text(summary), lang)
    # the mention shows by name, the channel ping and the link as plain text, & escaped
    assert "• @Lena Lead @channel call here (https://evil.example) &amp; *now* — _Bram_" in opportunities
    assert "<!channel>" not in json.dumps(summary) and "<@U0LEAD>" not in json.dumps(summary)
    if lang == "en":  # Dutch words are not English prefixes: asked where it belongs
        assert "set_lane:insight" in json.dumps(slack.web_api.ephemerals(CHLOE)[-1]["blocks"])
        assert "the reviews are hidden" not in opportunities
    else:  # English prefixes work in every language
        assert slack.web_api.reactions(slack.channel, other["ts"]) == {"white_check_mark": ["U0JOURNEYBOT"]}
        assert "• the reviews are hidden — _Chloé_" in opportunities
    # only the English workshop's unsorted "kans:" counts in the phase; the insights count with the opportunities
    assert prompt_text(slack, phase_prompt).endswith(words["count_one"]) == (lang == "en")


@pytest.mark.parametrize(("lang", "phases", "note", "draft"), [
    ("en", "Research, Purchase, Use", "Use: show the manual in the box",
     "How might we show the manual in the box? _(draft)_"),
    ("nl", "Oriëntatie, Aankoop, Toon", "Toon: toon de handleiding in de doos",
     "Hoe kunnen we de handleiding in de doos tonen? _(voorstel)_"),
])
def test_an_insight_named_by_a_phase_that_is_also_a_verb_gets_its_draft(slack, lang, phases, note, draft):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    slack.command(LEAD, "next")
    slack.command(LEAD, f"phases {phases}")
    for _ in range(4):
        slack.command(LEAD, "next")
    slack.reply(ANA, note)  # in the opportunities' thread, naming the third phase
    slack.command(LEAD, "summary")
    summary = posted_summary(slack, lang)
    assert opportunities_of(summary, lang).startswith(f"_3. {phases.rsplit(', ', 1)[1]}_\n• {note} — _Ana_")
    assert f"• {draft}" in summary
