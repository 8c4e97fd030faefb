"""A storyboard step says its position once: "Storyboard: …" where the bot says "Step 2 of 5" next to it
(prompt, Home tab, status, moves), "Storyboard 2 of 5: …" where nothing else says it (summary panels,
notes), counting the template's own storyboard steps. Signed Slack requests through the real Bolt app
against the stand-in, in English and Dutch."""
import re
import textwrap

import pytest

from bot.standin.session import open_standin
from renderers.sheet import Sheet
from tests.test_summary_files import content_of, files_in
from tests.test_workshop import ANA, LEAD, PEOPLE, block_text, posted_summary

TWICE = re.compile(r"\d+ (of|van) \d+.*\d+ (of|van) \d+")  # a line saying two positions

WORDS = {
    "en": {"step_1": "Step 1 of 5 · Storyboard", "title_1": "Storyboard: the customer and their problem",
           "home": "Step 1 of 5: *Storyboard: the customer and their problem*",
           "status": "step 2 of 5: *Storyboard: why the problem hurts*",
           "status_line": "1. Storyboard: the customer and their problem: 1",
           "moved": "Moved on to step 2 of 5: *Storyboard: why the problem hurts*.",
           "closed_note": "Answers now go to *Storyboard 2 of 5: why the problem hurts*",
           "progress": "at step 2 of 5 (Storyboard: why the problem hurts)",
           "panel": "*Storyboard 1 of 5: the customer and their problem*",
           "md_panel": "### Storyboard 2 of 5: why the problem hurts",
           "kickoff": "We work through the five storyboard steps one prompt"},
    "nl": {"step_1": "Stap 1 van 5 · Storyboard", "title_1": "Storyboard: de klant en zijn probleem",
           "home": "Stap 1 van 5: *Storyboard: de klant en zijn probleem*",
           "status": "stap 2 van 5: *Storyboard: waarom het probleem pijn doet*",
           "status_line": "1. Storyboard: de klant en zijn probleem: 1",
           "moved": "stap 2 van 5",
           "closed_note": "*Storyboard 2 van 5: waarom het probleem pijn doet*",
           "progress": "bij stap 2 van 5 (Storyboard: waarom het probleem pijn doet)",
           "panel": "*Storyboard 1 van 5: de klant en zijn probleem*",
           "md_panel": "### Storyboard 2 van 5: waarom het probleem pijn doet",
           "kickoff": "We doorlopen de vijf stappen van het storyboard met"},
}


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        yield local


def home_of(slack, user) -> str:
    slack.people.open_home(user)
    return block_text(slack.web_api.home(user))


def says_each_position_once(*texts: str) -> None:
    for text in texts:
        assert not [line for line in text.splitlines() if TWICE.search(line)], text


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_storyboard_only_workshop_says_each_steps_position_once(slack, lang):
    words = WORDS[lang]
    slack.command(LEAD, f"start Bakery template:storyboard lang:{lang}")
    kickoff, prompt = slack.web_api.messages(slack.channel)
    assert words["kickoff"] in kickoff["text"]
    assert prompt["blocks"][0]["elements"][0]["text"] == words["step_1"]
    assert prompt["blocks"][1]["text"]["text"] == words["title_1"]
    home = home_of(slack, ANA)
    assert words["home"] in home

    slack.reply(ANA, "Sam runs a bakery and misses orders while baking")
    moved = slack.command(LEAD, "next")
    assert words["moved"] in moved
    status = slack.command(LEAD, "status")
    assert words["status"] in status and words["status_line"] in status
    closed = block_text(slack.prompts()[0])
    assert words["closed_note"] in closed
    slack.command(LEAD, "summary")
    summary = posted_summary(slack) if lang == "en" else block_text(next(
        m for m in slack.web_api.messages(slack.channel) if m["text"].startswith("Samenvatting")))
    assert words["progress"] in summary and words["panel"] in summary
    slack.command(LEAD, "export md")
    markdown = content_of(slack, files_in(slack)[-1]).decode()
    assert words["md_panel"] in markdown
    says_each_position_once(block_text(prompt), home, moved, status, closed, summary, markdown)


@pytest.mark.parametrize(("lang", "phases", "context", "panel"), [
    ("en", "Research, Purchase, Use", "Step 9 of 13 · Storyboard", "*Storyboard 1 of 5: the customer and their problem*"),
    ("nl", "Oriëntatie, Aankoop, Gebruik", "Stap 9 van 13 · Storyboard", "*Storyboard 1 van 5: de klant en zijn probleem*"),
])
def test_the_full_workshops_storyboard_step_says_its_place_in_the_workshop_and_in_the_storyboard_apart(
        slack, lang, phases, context, panel):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    slack.command(LEAD, "next")
    slack.command(LEAD, f"phases {phases}")
    for _ in range(7):
        slack.command(LEAD, "next")
    prompt = slack.open_prompt()
    assert prompt["blocks"][0]["elements"][0]["text"] == context
    title = prompt["blocks"][1]["text"]["text"]
    assert title.startswith("Storyboard: ")
    assert f"{context.split(' · ')[0]}: *{title}*" in home_of(slack, ANA)
    slack.reply(ANA, "Sam runs a bakery and misses orders while baking")
    slack.command(LEAD, "summary")
    summaries = [m for m in slack.web_api.messages(slack.channel) if m.get("blocks") and m["blocks"][0]["type"] == "header"
                 and m["text"].startswith(("Journey summary", "Samenvatting"))]
    assert panel in block_text(summaries[-1])


TWO_PANELS = """\
[templates.short_story]
steps = ["story_customer", "story_outcome"]
[templates.short_story.en]
name = "a two-panel storyboard"
"""


def test_a_team_storyboard_of_two_panels_counts_its_own_panels(tmp_path):
    path = tmp_path / "team.toml"
    path.write_text(textwrap.dedent(TWO_PANELS), encoding="utf-8")
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE,
                      templates_path=str(path)) as slack:
        slack.command(LEAD, "start Bakery template:short_story")
        slack.command(LEAD, "next")
        assert slack.open_prompt()["blocks"][0]["elements"][0]["text"] == "Step 2 of 2 · Storyboard"
        slack.reply(ANA, "Orders arrive while she bakes")
        slack.command(LEAD, "summary")
        summary = posted_summary(slack)
    assert "*Storyboard 2 of 2: a satisfied customer*" in summary and "5 of 5" not in summary


TEAM_SCENE = """\
[templates.mine]
steps = ["story_customer", "story_extra"]
[templates.mine.en]
name = "our storyboard"
[steps.story_extra]
section = "storyboard"
[steps.story_extra.en]
short = "Extra"
title = "the neighbour tells her"
prompt = "Who tells her about it?"
example = "The baker next door."
"""


def test_a_teams_own_storyboard_step_has_its_title_in_the_summary_and_the_storyboard_picture(tmp_path, monkeypatch):
    drawn, draw = [], Sheet.text
    monkeypatch.setattr(Sheet, "text", lambda sheet, x, y, text, *args, **kw: (
        drawn.append(text), draw(sheet, x, y, text, *args, **kw))[1])
    path = tmp_path / "team.toml"
    path.write_text(TEAM_SCENE, encoding="utf-8")
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE,
                      templates_path=str(path)) as slack:
        slack.command(LEAD, "start Bakery template:mine")
        slack.command(LEAD, "next")
        assert slack.open_prompt()["blocks"][1]["text"]["text"] == "Storyboard: the neighbour tells her"
        slack.reply(ANA, "The baker next door swears by it")
        assert "posted in the channel" in slack.command(LEAD, "summary")
        assert "*Storyboard 2 of 2: the neighbour tells her*" in posted_summary(slack)
        assert [file["name"] for file in files_in(slack)] == ["storyboard-bakery.png"]
    assert "The neighbour tells her" in drawn and "The customer and their problem" in drawn
