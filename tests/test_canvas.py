"""The workshop's canvas: made once when a workshop starts (in the channel's tab, else standalone and shared),
written when a step closes and not on every answer, people's text kept inert, anonymous, deleted with the
workshop, and Slack's refusals leaving the workshop running with one private sentence to the lead."""
import threading
from datetime import datetime, timezone

import pytest
from sqlmodel import Session, select

from bot.standin import People, TrackingExecutor
from bot.standin.session import open_standin
from bot.wiring.app import create_app
from storage import canvases as canvas_store
from storage import repository as repo
from storage.db import unit_of_work
from storage.models import WorkshopCanvas
from tests.test_votes import vote
from tests.test_workshop import ANA, BRAM, CHLOE, LEAD, PEOPLE

REFUSALS = ("team_tier_cannot_create_channel_canvases", "canvas_disabled_user_team",
            "channel_canvas_already_exists", "restricted_action")


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as slack:
        yield slack


def canvas_of(slack) -> dict:
    (canvas,) = slack.web_api.canvases()
    return canvas


def edits(slack) -> int:
    return len(slack.web_api.calls_of("canvases.edit"))


def row(slack) -> WorkshopCanvas:
    with Session(slack.engine) as session:
        (workshop_canvas,) = session.exec(select(WorkshopCanvas)).all()
        return workshop_canvas


def test_a_workshop_started_with_canvas_on_gets_the_channels_canvas(slack):
    answer = slack.command(LEAD, "start Ordering online canvas:on")
    assert "started" in answer.lower()
    canvas = canvas_of(slack)
    assert canvas["title"] == "Journey summary: Ordering online"
    assert canvas["tab_channel"] == slack.channel
    assert "## End user and problem" in canvas["markdown"] and "## The feeling per phase" in canvas["markdown"]
    (create,) = slack.web_api.calls_of("conversations.canvases.create")
    assert create["params"]["channel_id"] == slack.channel
    assert create["params"]["document_content"]["type"] == "markdown"
    assert not slack.web_api.calls_of("canvases.create")


def test_no_canvas_without_the_option_or_the_workspace_default(slack):
    slack.command(LEAD, "start Ordering online")
    slack.command(LEAD, "next")
    assert slack.web_api.canvases() == []
    assert not [call for call in slack.web_api.calls if "canvas" in call["method"]]


def test_the_workspace_default_gives_every_workshop_a_canvas_unless_canvas_off(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'a.sqlite3'}", people=PEOPLE, canvas_default=True) as slack:
        slack.command(LEAD, "start Ordering online")
        assert len(slack.web_api.canvases()) == 1
        slack.command(LEAD, "close")
        slack.command(LEAD, "start Second round canvas:off")
        assert len(slack.web_api.canvases()) == 1


def test_the_canvas_is_written_when_a_step_closes_not_on_each_answer(slack):
    slack.command(LEAD, "start Ordering online canvas:on")
    for person, text in ((ANA, "A parent ordering school books"), (BRAM, "An office manager"),
                         (CHLOE, "A student on a budget")):
        slack.reply(person, text)
    assert edits(slack) == 0
    assert "A parent ordering school books" not in canvas_of(slack)["markdown"]

    slack.command(LEAD, "next")
    assert edits(slack) == 1
    markdown = canvas_of(slack)["markdown"]
    assert "- A parent ordering school books — Ana" in markdown
    assert "step 2 of" in markdown

    slack.reply(ANA, "Research, Purchase, Use")
    slack.command(ANA, "status")  # a command that changes nothing the canvas shows
    assert edits(slack) == 1
    slack.command(LEAD, "back")
    slack.command(LEAD, "summary")
    assert edits(slack) == 3
    assert "[The journey map as a picture](https://" in canvas_of(slack)["markdown"]


def test_votes_reach_the_canvas_when_the_vote_ends_not_on_each_click(slack):
    slack.command(LEAD, "start Ordering online canvas:on")
    slack.command(ANA, "hmw add How might we show the full price first?")
    slack.command(LEAD, "hmw")
    vote(slack, ANA, "show the full price first")
    vote(slack, BRAM, "show the full price first")
    assert edits(slack) == 0
    slack.command(LEAD, "hmw")  # a new vote message: the earlier vote ended
    assert edits(slack) == 1
    assert "- How might we show the full price first? — Ana · **2 votes**" in canvas_of(slack)["markdown"]


def test_a_burst_of_changes_is_written_once_and_a_rate_limit_is_waited_out(slack):
    slack.command(LEAD, "start Ordering online canvas:on")
    workshop_id = row(slack).workshop_id
    with Session(slack.engine) as session:  # three changes before anyone catches up
        for _ in range(3):
            canvas_store.mark_stale(session, workshop_id=workshop_id)
        session.commit()
    slack.web_api.fail("canvases.edit", status=429, retry_after=1)
    answer = slack.command(LEAD, "next")
    assert answer.startswith("Moved on to step 2")
    calls = slack.web_api.calls_of("canvases.edit")
    assert [call.get("error") for call in calls] == ["ratelimited", None]
    assert row(slack).written == row(slack).wanted
    methods = [call["method"] for call in slack.web_api.calls]
    before_the_edit = methods[:methods.index("canvases.edit")]
    assert before_the_edit.count("response_url") == 2  # start's and next's answers: heard before the wait


def test_a_server_error_beyond_the_retries_leaves_the_canvas_for_the_next_change(slack):
    slack.command(LEAD, "start Ordering online canvas:on")
    slack.reply(ANA, "A parent ordering school books")
    slack.web_api.fail("canvases.edit", status=503, times=3)
    assert slack.command(LEAD, "next").startswith("Moved on to step 2")
    assert "A parent ordering school books" not in canvas_of(slack)["markdown"]
    slack.command(LEAD, "summary")
    assert "A parent ordering school books" in canvas_of(slack)["markdown"]


def test_hostile_answers_stay_text_in_the_canvas(slack):
    slack.command(LEAD, "start Ordering online canvas:on")
    hostile = ["# Fired", "| a | b |", "<!channel> look", "[prize](https://evil.example)", "![](@U0LEAD)",
               "see <https://evil.example|this>"]
    for text in hostile:
        slack.reply(ANA, text)
    slack.command(LEAD, "phases Research | Sales, # Use")
    slack.command(LEAD, "next")
    markdown = canvas_of(slack)["markdown"]
    lines = markdown.splitlines()
    assert not [line for line in lines if line.startswith("#") and "Fired" in line]  # no heading of theirs
    assert not [line for line in lines if line.startswith("|") and " b " in line]  # no table row of theirs
    assert "- \\# Fired — Ana" in markdown
    assert "- \\| a \\| b \\| — Ana" in markdown
    assert "<!channel>" not in markdown and "- \\@channel look — Ana" in markdown  # Slack sent it as <!channel>
    assert "](https://evil" not in markdown and "\\[prize\\]\\(https\\://evil\\.example\\)" in markdown
    assert "- see this \\(https\\://evil\\.example\\) — Ana" in markdown  # Slack sent <https://…|this>
    assert "![](@" not in markdown
    assert "### 1. Research \\| Sales" in markdown and "### 2. \\# Use" in markdown


def test_an_anonymous_workshops_canvas_names_nobody(slack):
    slack.command(LEAD, "start Ordering online canvas:on anonymous:on")
    slack.reply(ANA, "A parent ordering school books")
    slack.command(LEAD, "next")
    markdown = canvas_of(slack)["markdown"]
    assert "- A parent ordering school books\n" in markdown
    assert not any(name in markdown for name in PEOPLE.values())


def test_closing_keeps_the_canvas_and_deleting_deletes_it(slack):
    slack.command(LEAD, "start Ordering online canvas:on")
    slack.command(LEAD, "close")
    assert "Workshop closed." in canvas_of(slack)["markdown"]
    assert "Its canvas in Slack will be deleted too." in slack.command(LEAD, "delete")
    question = slack.web_api.ephemerals(LEAD)[-1]
    slack.people.click(LEAD, message_ts=question["ts"], action_id="delete_confirm")
    assert slack.web_api.canvases() == []
    assert "Its canvas is deleted too." in slack.web_api.ephemerals(LEAD)[-1]["text"]


def test_deleting_says_which_canvas_it_could_not_delete(slack):
    slack.command(LEAD, "start Ordering online canvas:on")
    canvas_id = canvas_of(slack)["id"]
    slack.web_api.fail("canvases.delete", error="restricted_action")
    slack.command(LEAD, "delete")
    question = slack.web_api.ephemerals(LEAD)[-1]
    slack.people.click(LEAD, message_ts=question["ts"], action_id="delete_confirm")
    answer = slack.web_api.ephemerals(LEAD)[-1]["text"]
    assert f"Its canvas `{canvas_id}` could not be deleted (Slack said `restricted_action`)" in answer
    assert "are deleted from journeybot" in answer


def test_without_channel_canvases_a_standalone_canvas_is_shared_and_linked_from_the_kickoff(slack):
    slack.web_api.set_canvas_plan(channel_canvases=False)
    slack.command(LEAD, "start Ordering online canvas:on")
    canvas = canvas_of(slack)
    assert canvas["tab_channel"] is None and canvas["access"][slack.channel] == "read"
    kickoff = slack.web_api.messages(slack.channel)[0]
    assert f"/docs/{slack.web_api.team_id}/{canvas['id']}|open the canvas>" in kickoff["text"]
    slack.command(LEAD, "next")
    assert edits(slack) == 1


@pytest.mark.parametrize("error", REFUSALS)
def test_each_refusal_leaves_the_workshop_running_and_tells_the_lead_once(slack, error):
    for method in ("conversations.canvases.create", "canvases.create"):
        slack.web_api.fail(method, error=error)
    slack.command(LEAD, "start Ordering online canvas:on")
    told = [e["text"] for e in slack.web_api.ephemerals(LEAD) if "canvas" in e["text"]]
    assert len(told) == 1 and told[0].count(". ") == 0 and told[0].endswith(".")
    assert "the workshop goes on without" in told[0]
    assert slack.web_api.canvases() == []
    slack.reply(ANA, "A parent ordering school books")
    assert slack.command(LEAD, "next").startswith("Moved on to step 2")
    assert [e["text"] for e in slack.web_api.ephemerals(LEAD) if "canvas" in e["text"]] == told

    assert "The canvas is made" in slack.command(LEAD, "canvas")  # the plan allows it now
    assert "A parent ordering school books" in canvas_of(slack)["markdown"]


def test_an_existing_channel_canvas_makes_a_standalone_one(slack):
    slack.web_api.give_channel_a_canvas(slack.channel, ANA)
    slack.command(LEAD, "start Ordering online canvas:on")
    ours = [c for c in slack.web_api.canvases() if c["owner"] == slack.web_api.bot_user_id]
    assert len(ours) == 1 and ours[0]["tab_channel"] is None
    assert slack.web_api.calls_of("conversations.canvases.create")[0]["error"] == "channel_canvas_already_exists"


def test_only_a_lead_asks_for_the_canvas(slack):
    slack.command(LEAD, "start Ordering online")
    assert "Only the workshop's lead" in slack.command(ANA, "canvas")
    assert "The canvas is made: it is in this channel's canvas tab" in slack.command(LEAD, "canvas")
    assert "in a moment" in slack.command(LEAD, "canvas")


@pytest.fixture
def slack_on_any_database(database_url):
    with open_standin(database_url=database_url, people=PEOPLE) as slack:
        yield slack


def test_two_workers_on_one_database_make_one_canvas(slack_on_any_database):
    """A second process asks for the canvas while the first is still making it (waiting out a rate limit)."""
    slack = slack_on_any_database
    slack.command(LEAD, "start Ordering online")
    executor = TrackingExecutor()
    other_app = create_app(slack.settings, slack.engine, listener_executor=executor, progress_interval=0)
    other = People(slack.web_api, other_app, signing_secret=slack.settings.signing_secret,
                   channel=slack.channel, listener_executor=executor)
    slack.web_api.fail("conversations.canvases.create", status=429, retry_after=1)
    first = threading.Thread(target=slack.command, args=(LEAD, "canvas"))
    first.start()
    while not slack.web_api.calls_of("conversations.canvases.create"):
        threading.Event().wait(0.01)
    before = len(slack.web_api.ephemerals(LEAD))
    other.slash(LEAD, "canvas")
    first.join()
    executor.shutdown()
    answers = [e["text"] for e in slack.web_api.ephemerals(LEAD)[before:]]
    assert any("being made right now" in text for text in answers)
    assert len(slack.web_api.canvases()) == 1
    assert [call.get("error") for call in slack.web_api.calls_of("conversations.canvases.create")] == ["ratelimited", None]


def test_dutch_canvas_and_refusal(slack):
    slack.web_api.set_canvas_plan(canvases=False)
    slack.command(LEAD, "start Online bestellen lang:nl canvas:on")
    (told,) = [e["text"] for e in slack.web_api.ephemerals(LEAD) if "canvas" in e["text"].lower()]
    assert told.startswith("Canvassen staan uit in deze werkruimte, dus de workshop gaat verder zonder")
    slack.web_api.set_canvas_plan()
    assert slack.command(LEAD, "canvas").startswith("De canvas is gemaakt: hij staat in de canvas-tab")
    canvas = canvas_of(slack)
    assert canvas["title"] == "Samenvatting van de reis: Online bestellen"
    assert "## Eindgebruiker en probleem" in canvas["markdown"] and "## Het gevoel per fase" in canvas["markdown"]


def test_one_process_at_a_time_creates_and_writes_the_canvas(engine):
    now = datetime.now(timezone.utc)
    with unit_of_work(engine) as session:
        workshop_id = repo.create_workshop(session, team_id="T1", channel_id="C1", title="Ordering online",
                                           kind="customer", template="full", lang="en", lead_id="U1", phases=[],
                                           first_step="end_user").id
        canvas_store.want_canvas(session, workshop_id=workshop_id)

    def claim(at):
        with unit_of_work(engine) as session:
            return canvas_store.claim_creation(session, workshop_id=workshop_id, now=at)

    def turn():
        with unit_of_work(engine) as session:
            return canvas_store.take_edit_turn(session, workshop_id=workshop_id, now=now)

    def change():
        with unit_of_work(engine) as session:
            canvas_store.mark_stale(session, workshop_id=workshop_id)

    assert claim(now) and not claim(now)
    assert claim(now + canvas_store.CLAIM_TIMEOUT * 2)  # a process that died while creating is taken over
    with unit_of_work(engine) as session:
        canvas_store.record_created(session, workshop_id=workshop_id, canvas_id="F1", in_channel_tab=True, written=0)
    assert not claim(now + canvas_store.CLAIM_TIMEOUT * 4)  # it exists
    assert turn() is None  # nothing to write
    change(), change()
    assert turn() == 2 and turn() is None  # the second process leaves it to the first
    change()  # while the first writes
    with unit_of_work(engine) as session:
        canvas_store.end_edit_turn(session, workshop_id=workshop_id, written=2)
    assert turn() == 3  # the first looks again and writes the change that came meanwhile
