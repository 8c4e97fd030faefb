"""A team's own templates file (JOURNEYBOT_TEMPLATES): a workshop runs with it in Slack, and a
file with a mistake stops the bot at start-up with the file, the line and the problem."""
import csv
import io
import textwrap
from pathlib import Path

import pytest

from bot.run import cli
from bot.standin.session import open_standin
from bot.wiring.settings import Settings, SettingsError
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE, block_text, section

TEAM_FILE = """\
default_template = "quick"

[templates.quick]
steps = ["end_user", "journey", "first_reactions", "hmw"]
[templates.quick.en]
name = "the quick journey"
[templates.quick.nl]
name = "de snelle reis"

[steps.first_reactions]
section = "understand"
lanes = ["insight"]
[steps.first_reactions.en]
short = "First reactions"
title = "First reactions from customers"
prompt = "What did customers *say* the first time they saw the {kind}?"
example = "Where is the price?"

[steps.end_user.en]
title = "Who are we designing for?"
[steps.end_user.nl]
title = "Voor wie ontwerpen we?"
"""


def write(tmp_path, text, name="team.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


@pytest.fixture
def team_slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE,
                     templates_path=write(tmp_path, TEAM_FILE)) as local:
        yield local


def title_of(prompt):
    return prompt["blocks"][1]["text"]["text"]


def test_a_team_template_with_a_reworded_step_and_a_new_step_runs_in_slack(team_slack):
    slack = team_slack
    assert "You started *Ordering online*" in slack.command(LEAD, "start Ordering online")  # the file's default
    kickoff, first = slack.web_api.messages(slack.channel)
    assert "the quick journey" in kickoff["text"]
    assert "End user → Awareness → Consideration → Purchase → Use → Loyalty → First reactions → How might we" \
        in kickoff["text"]
    assert title_of(first) == "Who are we designing for?"
    assert "Step 1 of 8" in block_text(first)
    slack.reply(ANA, "A small bakery owner")
    for _ in range(5):
        slack.command(LEAD, "next")
    assert "Moved on to step 7 of 8: *First reactions from customers*" in slack.command(LEAD, "next")
    prompt = slack.open_prompt()
    assert "What did customers *say* the first time they saw the customer journey?" in block_text(prompt)
    slack.reply(BRAM, "Where is the price?")
    assert slack.answer_with_modal(ANA, {"text": "Is there an app?"}) == {}
    slack.command(LEAD, "summary")
    summary = block_text([m for m in slack.web_api.messages(slack.channel) if m["text"].startswith("Journey summary")][-1])
    insights = section(summary, "Opportunities and insights")
    assert "Where is the price? — _Bram_" in insights and "Is there an app? — _Ana_" in insights
    assert "work in progress" in summary.lower() and "First reactions from customers" in summary


def test_a_team_template_in_dutch_uses_the_dutch_rewording_and_borrows_new_words(team_slack):
    slack = team_slack
    slack.command(LEAD, "start Online bestellen template:quick lang:nl")
    kickoff, first = slack.web_api.messages(slack.channel)
    assert "de snelle reis" in kickoff["text"]
    assert title_of(first) == "Voor wie ontwerpen we?"
    assert "First reactions" in kickoff["text"]  # not translated in the file: the default language's words


def test_the_built_in_templates_stay_available_next_to_the_teams(team_slack):
    team_slack.command(LEAD, "start Stories template:storyboard")
    assert title_of(team_slack.open_prompt()) == "Storyboard: the customer and their problem"


def test_an_unknown_template_names_the_teams_templates_too(team_slack):
    answer = team_slack.command(LEAD, "start Ordering template:quik")
    assert "`template:quick`" in answer and "`template:full`" in answer


@pytest.mark.parametrize("lang, research", [("en", "#observation"), ("nl", "#observatie")])
def test_answers_to_a_team_step_keep_its_section_and_research_in_the_csv_export(team_slack, lang, research):
    slack = team_slack
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    for _ in range(6):
        slack.command(LEAD, "next")
    slack.reply(BRAM, f"Where is the price? {research}")
    assert slack.answer_with_modal(ANA, {"text": "Is there an app?", "evidence": "interview"}) == {}
    slack.command(LEAD, "export csv")
    (upload,) = [file for message in slack.web_api.messages(slack.channel) for file in message.get("files", [])]
    content = next(f["content"] for f in slack.web_api.files() if f["id"] == upload["id"])
    rows = {row["text"]: row for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))}
    assert {text: (row["step"], row["section"], row["evidence"]) for text, row in rows.items()
            if row["step"] == "first_reactions"} == {
        "Where is the price?": ("first_reactions", "understand", "observation"),
        "Is there an app?": ("first_reactions", "understand", "interview"),
    }


def settings_error(tmp_path, text) -> str:
    with pytest.raises(SettingsError) as error:
        Settings.load(environ={"JOURNEYBOT_TEMPLATES": write(tmp_path, text)}, env_file=tmp_path / "none.env")
    return str(error.value).replace(str(tmp_path) + "/", "")


@pytest.mark.parametrize("text, message", [
    ('[templates.quick\nsteps = ["end_user"]\n',
     "team.toml, line 1: is not valid TOML: Expected ']' at the end of a table declaration."),
    ('[templates.quick]\nsteps = [\n  "end_user",\n  "jouney",\n]\n[templates.quick.en]\nname = "Quick"\n',
     "team.toml, line 4: template 'quick' names the unknown step 'jouney'; known steps: end_user, phases, journey, "
     "opportunities, hmw, experience, story_customer, story_pain, story_solution, story_discovery, story_outcome, research."),
    ('[steps.extra]\nsection = "explore"\n[steps.extra.en]\nshort = "x"\ntitle = "x"\nprompt = "x"\nexample = "x"\n',
     "team.toml, line 2: step 'extra' needs a section: one of understand, storyboard."),
    ('[steps.extra]\nsection = "understand"\n[steps.extra.nl]\nshort = "x"\ntitle = "x"\nprompt = "x"\nexample = "x"\n',
     "team.toml, line 1: the new step 'extra' needs short, title, prompt, example in the default language 'en': "
     "add them under [steps.extra.en]."),
    ('[steps.extra]\nsection = "understand"\nlanes = ["insight", "answer"]\n',
     "team.toml, line 3: step 'extra' cannot collect into lane 'answer'; in the understand section the summary "
     "shows these lanes: end_user, insight, hmw, experience, intentions."),
    ('[steps.journey]\nper_phase = false\n',
     "team.toml, line 2: 'journey' is a built-in step: only its wording can change ([steps.journey.<language>])."),
    ('[steps.end_user.en]\n\ntitle = "Who is {persona}?"\n',
     "team.toml, line 3: title uses {persona}, which the bot does not fill in; it can use {phase}, {phase_count}, "
     "{phase_number} (write {{ and }} for a brace)."),
    ('default_template = "quik"\n',
     "team.toml, line 1: default_template names 'quik', which is not a template; use one of: understand, "
     "storyboard, full."),
    ('[template.quick]\nsteps = ["end_user"]\n',
     "team.toml, line 1: unknown key 'template'; the file can have [steps.…], [templates.…] and default_template."),
])
def test_a_file_with_a_mistake_names_the_file_line_and_problem(tmp_path, text, message):
    assert settings_error(tmp_path, text) == f"JOURNEYBOT_TEMPLATES: {message}"


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(SettingsError, match=r"JOURNEYBOT_TEMPLATES: .*nowhere.toml: cannot be read"):
        Settings.load(environ={"JOURNEYBOT_TEMPLATES": str(tmp_path / "nowhere.toml")}, env_file=tmp_path / "none")


def test_the_command_line_stops_with_one_line_and_no_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JOURNEYBOT_TEMPLATES", write(tmp_path, '[templates.quick]\nsteps = ["nope"]\n'))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert cli.main(["db", "pending"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("journeybot: JOURNEYBOT_TEMPLATES: ") and "line 2: template 'quick' names the unknown " \
        "step 'nope'" in error
    assert "Traceback" not in error and error.count("\n") == 1


def test_the_example_in_the_docs_is_a_valid_file(tmp_path):
    docs = (Path(__file__).resolve().parents[1] / "docs" / "templates.md").read_text(encoding="utf-8")
    example = docs.split("```toml\n", 1)[1].split("```", 1)[0]
    flows = Settings(templates_path=write(tmp_path, example)).flows
    assert flows.catalog.default_template == "quick"
    assert flows.pack("nl").text("steps.first_reactions.title") == "Eerste reacties van klanten"
