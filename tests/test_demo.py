"""`journeybot demo` and bare `journeybot`, run as a newcomer runs them: a process with no Slack settings."""
import csv
import shutil
import io
import json

import pytest
from PIL import Image

from bot.run.demo import DemoError, Player, Script, load_script, play, user_id_for
from bot.standin.session import open_standin
from renderers.exports import CSV_COLUMNS, JSON_SCHEMA_ID
from tests.cli_process import journeybot


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    result = journeybot("demo", "--out", "out", cwd=folder)
    return result, folder / "out"


def test_the_demo_plays_every_step_and_shows_the_summary_without_alarming_output(demo):
    result, _ = demo
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert "step 1/13  The end user and their problem — 3 answers" in lines
    assert "step 3/13  Phase 1 of 3: Research — 5 answers" in lines
    assert "step 13/13  Storyboard: a satisfied customer — 1 answer" in lines
    assert "Journey summary: Ordering office supplies online" in lines
    assert "• A receptionist who orders paper and toner for the whole office, between phone calls — _Chloé_" in lines
    assert "Files written to out:" in lines
    assert "Traceback" not in result.stdout


def test_the_demo_writes_every_file_and_each_is_sane(demo):
    _, out = demo
    for picture in ("journey-map.png", "storyboard.png"):
        with Image.open(out / picture) as image:
            image.load()
            assert image.width >= 1600
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["schema"] == JSON_SCHEMA_ID
    assert [phase["name"] for phase in summary["phases"]] == ["Research", "Purchase", "Delivery"]
    rows = list(csv.reader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) > 30
    assert "<html" in (out / "summary.html").read_text(encoding="utf-8").lower()
    methods = {call["method"] for call in json.loads((out / "slack-transcript.json").read_text(encoding="utf-8"))}
    assert {"chat.postMessage", "reactions.add", "views.open", "chat.update"} <= methods


def test_the_demo_writes_the_canvas_it_kept_current(demo):
    _, out = demo
    canvas = (out / "canvas.md").read_text(encoding="utf-8")
    assert "## The feeling per phase" in canvas and "| 2. Purchase | -1.00 |" in canvas
    assert "Priya reorders in two minutes on Friday" in canvas  # written after the last step's answers
    calls = json.loads((out / "slack-transcript.json").read_text(encoding="utf-8"))
    answers = sum(call["method"] == "reactions.add" for call in calls)
    edits = sum(call["method"] == "canvases.edit" for call in calls)
    assert [call["method"] for call in calls].count("conversations.canvases.create") == 1
    assert 0 < edits < answers  # a step's worth of answers at a time, not one edit per answer


def test_the_summary_has_the_edited_reply_and_not_the_deleted_one(demo):
    _, out = demo
    markdown = (out / "summary.md").read_text(encoding="utf-8")
    assert "A receptionist who orders paper and toner for the whole office, between phone calls — Chloé" in markdown
    assert "A receptionist who orders for the office" not in markdown
    assert "Everyone who has ever bought a pen" not in markdown
    assert "carries the boxes from reception to the storeroom" in markdown.split("**Does**")[3]  # filed by button


def test_the_leads_caption_pick_captions_its_panel_in_the_demos_files(demo):
    _, out = demo
    markdown = (out / "summary.md").read_text(encoding="utf-8")
    assert ("**Caption** · _the lead's pick_\n\n- Monthly invoice, so nobody needs the company card — Dev\n\n"
            "_Other answers_\n\n- A reorder list that knows the office's printers and shows full prices — Bram") in markdown
    assert "- Monthly invoice, so nobody needs the company card — Dev" in (out / "canvas.md").read_text(encoding="utf-8")


def test_the_demo_ends_with_the_console_command_that_works_after_scripts_run(demo):
    result, _ = demo
    last = result.stdout.strip().splitlines()[-1]
    assert "scripts/run console` (you are Lena, the lead)" in last and "journeybot console" not in last


def test_the_console_carries_on_the_demos_workshop_with_its_prompts(demo, tmp_path):
    _, out = demo
    shutil.copy(out / "journeybot.sqlite3", tmp_path / "demo.sqlite3")  # the demo's own stays as it was
    # the modal's fields one by one: the text, the scene's pictogram (skipped), the evidence (kept)
    result = journeybot("console", cwd=tmp_path, input="click 13 Answer\nShe smiles at the screen\n\n\nquit\n",
                        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    transcript = result.stdout
    assert "here are its prompts as they stand" in transcript
    assert "#1 journeybot\n    Step 1 of 13 · Understand\n    The end user and their problem\n" in transcript
    assert ("This step is closed. Answers now go to *Storyboard 5 of 5: a satisfied customer*: "
            "reply in its thread (https://") in transcript
    assert "#13 journeybot\n    Step 13 of 13 · Storyboard\n" in transcript
    assert "Sent." in transcript
    assert "#13 journeybot · updated\n    - 1 answer from 1 person so far.\n    + 2 answers from 2 people so far." in transcript


def test_the_real_app_opens_the_demos_database_and_carries_on_with_its_workshop(demo):
    _, out = demo
    lead = user_id_for(next(iter(load_script().cast.values())))
    with open_standin(database_url=f"sqlite:///{out / 'journeybot.sqlite3'}", people={lead: "Lena"}) as slack:
        status = slack.command(lead, "status")
        assert "*Ordering office supplies online* (customer journey) · step 13 of 13" in status
        assert "· 3. Phase 1 of 3: Research: 5" in status
        assert slack.command(lead, "close") == ""  # the note in the channel says it
        assert "is closed" in slack.web_api.messages(slack.channel)[-1]["text"]


def test_bare_journeybot_without_slack_tokens_says_so_and_runs_the_demo(tmp_path):
    result = journeybot(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first, *rest = result.stdout.splitlines()
    assert first.startswith("No Slack tokens found") and ".env.example" in first
    assert "step 13/13  Storyboard: a satisfied customer — 1 answer" in rest
    assert (tmp_path / "journeybot-demo" / "summary.md").is_file()


def test_bare_journeybot_with_slack_tokens_runs_the_bot_and_asks_for_what_is_missing(tmp_path):
    result = journeybot(cwd=tmp_path, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="secret")
    assert result.returncode == 2
    assert "SLACK_APP_TOKEN (or run with --http)" in result.stderr
    assert not (tmp_path / "journeybot-demo").exists()


def test_run_without_tokens_still_refuses_with_the_settings_message(tmp_path):
    result = journeybot("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN" in result.stderr and "journeybot demo" in result.stderr


def test_a_form_the_bot_sends_back_stops_the_demo_with_what_the_bot_said_in_its_language(tmp_path):
    """A script whose answer the bot refuses stops the demo with the bot's words, framed in the same language."""
    script = Script(cast={"lena": "Lena"}, start="Bakkerij", steps=[[{"by": "lena", "modal": {"text": "  "}}]],
                    research=[], finish=[])
    with open_standin(database_url=f"sqlite:///{tmp_path / 'demo.sqlite3'}", people={"U0LENA": "Lena"},
                      lang="nl") as local:
        with pytest.raises(DemoError) as stopped:
            play(Player(local, script, {"lena": "U0LENA"}), lambda key, **values: None)
    assert stopped.value.key == "demo.failed" and stopped.value.values["number"] == 1
    assert str(stopped.value.values["error"]) == "de bot stuurde het formulier terug: Schrijf hier je antwoord."
