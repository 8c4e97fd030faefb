"""The research round, end to end through the real Bolt app against the stand-in: an assumption map of
three phases, boards in the channel, evidence from two people (one confirming, one refuting, one dispute
the lead settles), new findings, the Home tab, the nudges, the summary, the map and every export;
in English, in Dutch and anonymously. Bad input gets a private answer and stores nothing half."""
from __future__ import annotations

import csv
import io
import json
import os

import pytest
from sqlmodel import select

from bot.standin.session import open_standin
from bot.usecases import reporting
from bot.wiring.context import AppContext
from renderers import exports, pictures
from renderers.markdown import to_markdown
from storage.models import Item, ResearchChange, ResearchEvidence, Verdict
from storage import repository as repo
from storage.db import unit_of_work
from tests.test_anonymous_and_coleads import drawn_texts
from tests.test_workshop import block_text

LEAD, ANA, BRAM = "U0LEAD", "U0ANA", "U0BRAM"
PEOPLE = {LEAD: "Lena Lead", ANA: "Ana Amsel", BRAM: "Bram Beek"}
PICTURES = os.environ.get("JOURNEYBOT_PICTURES")  # a folder to keep the pictures in, to look at them


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        yield local


# -- helpers: what people do and see ------------------------------------------------------------------

def note_line(slack, text: str) -> str:
    message, item_id = slack.board_of(text)
    return next(b["text"]["text"] for b in message["blocks"] if b["block_id"] == f"note_{item_id}")


def assumption_map(slack, *, lang: str = "en", anonymous: bool = False) -> None:
    """A workshop with phases Research, Purchase, Use and assumptions in each."""
    options = (" lang:nl" if lang == "nl" else "") + (" anonymous:on" if anonymous else "")
    slack.command(LEAD, f"start Ordering online template:understand{options}")
    slack.command(LEAD, "next")
    slack.command(LEAD, "phases Research, Purchase, Use")
    slack.command(LEAD, "next")
    slack.reply(ANA, "does: compares three web shops")
    slack.reply(BRAM, "feels: :( overwhelmed by choice")
    slack.command(LEAD, "next")
    slack.reply(ANA, "feels: :( shipping costs appear at the very end")
    slack.reply(BRAM, "thinks: the form is too long")
    slack.command(LEAD, "next")
    slack.reply(ANA, "feels: :) delivered the next day")


def research_round(slack) -> None:
    """Ana confirms one assumption, Bram refutes another, they disagree on a third and the lead settles it;
    a finding by thread reply and one by modal."""
    assert slack.press(ANA, "compares three web shops", "check").startswith(("Thanks", "Dank"))
    errors, _ = slack.give_evidence(ANA, "compares three web shops", "confirmed", {
        "found": "4 of 5 people we interviewed compare at least three shops", "source": "interview",
        "people": "5", "link": "https://wiki.example.com/interviews"})
    assert errors == {}
    errors, _ = slack.give_evidence(BRAM, "overwhelmed by choice", "refuted", {
        "found": "People filter by price at once and are not overwhelmed", "source": "observation", "people": "8"})
    assert errors == {}
    slack.give_evidence(ANA, "shipping costs appear", "confirmed", {
        "found": "Support tickets about surprise shipping costs", "source": "support"})
    _, note = slack.give_evidence(BRAM, "shipping costs appear", "refuted", {
        "found": "The survey says people expect shipping costs at the end", "source": "survey", "people": "120"})
    assert "⚡" in note
    assert "⚡" in note_line(slack, "shipping costs appear")
    assert "✓" in slack.press(LEAD, "shipping costs appear", "confirmed")  # the lead settles the dispute
    assert slack.press(BRAM, "the form is too long", "check")
    use_board, _ = slack.board_of("delivered the next day")
    slack.reply(BRAM, "feels: :( the parcel arrived damaged #support", prompt_ts=use_board["ts"])
    research_board, _ = slack.board_of("compares three web shops")
    slack.people.click(ANA, message_ts=research_board["ts"], action_id="research_finding")
    finding = slack.web_api.open_views(ANA)[-1]
    assert slack.people.submit(ANA, finding["id"], {"found": "Reads reviews before comparing", "source": "survey",
                                                    "people": "120"}) == {}


def summary_view(slack):
    ctx = AppContext(engine=slack.engine, settings=slack.settings)
    with unit_of_work(slack.engine) as session:
        workshop = repo.active_workshop(session, team_id=slack.web_api.team_id, channel_id=slack.channel)
    return reporting.workshop_summary(slack.app.client, ctx, workshop)


def keep_picture(name: str, png: bytes) -> None:
    if PICTURES:
        os.makedirs(PICTURES, exist_ok=True)
        with open(os.path.join(PICTURES, name), "wb") as out:
            out.write(png)


# -- the scenario ----------------------------------------------------------------------------------------

def test_a_research_round_from_assumptions_to_what_we_found(slack):
    assumption_map(slack)
    answer = slack.command(LEAD, "research")
    assert "The research round is open" in answer and "5 assumptions" in answer
    announcement = [m for m in slack.web_api.messages(slack.channel) if "Research round" in m["text"]]
    assert len(announcement) == 1
    assert len(slack.boards()) == 5  # one per phase and lane that has assumptions
    assert "? *open* · compares three web shops — _Ana Amsel_" in note_line(slack, "compares three web shops")

    research_round(slack)

    assert "✓ *confirmed*" in note_line(slack, "compares three web shops")
    assert "Evidence: 1 · checking: Ana Amsel" in note_line(slack, "compares three web shops")
    assert "✗ *refuted*" in note_line(slack, "overwhelmed by choice")
    assert "✓ *confirmed*" in note_line(slack, "shipping costs appear")
    assert "? *open*" in note_line(slack, "the form is too long")

    # the summary in the channel
    slack.command(LEAD, "summary")
    summary = block_text([m for m in slack.web_api.messages(slack.channel) if m["text"].startswith("Journey summary")][-1])
    assert "• ✓ compares three web shops — _Ana Amsel_" in summary
    assert "• ✗ :disappointed: overwhelmed by choice — _Bram Beek_" in summary
    believed = summary.split("*What we believed and what we found*")[1]
    assert "3 of 5 assumptions checked (60%): 2 confirmed, 1 refuted, 0 disputed, 2 open." in believed
    assert "refutes: People filter by price at once and are not overwhelmed (Observation, 8 people) — _Bram Beek_" in believed
    assert "the parcel arrived damaged — _Bram Beek_ `research`" in believed
    assert "Reads reviews before comparing — _Ana Amsel_ `research`" in believed
    assert "_assumed -1.00 · from research -1.00_" in summary  # phase 2: the confirmed assumption, as feared

    view = summary_view(slack)
    research = view.research
    assert (research.assumptions, research.checked, len(research.refuted), len(research.findings)) == (5, 3, 1, 2)
    phases = {phase.name: phase for phase in view.phases}
    assert (phases["Research"].assumed_feeling, phases["Research"].researched_feeling) == (-1.0, None)
    assert (phases["Use"].assumed_feeling, phases["Use"].researched_feeling) == (1.0, -1.0)

    # every export
    markdown = to_markdown(view)
    assert "## What we believed and what we found" in markdown
    assert "- ✗ :disappointed: overwhelmed by choice — Bram Beek" in markdown
    assert "  - refutes: People filter by price at once and are not overwhelmed (Observation, 8 people) — Bram Beek" \
        in markdown
    html = exports.to_html(view)
    assert 'class="state state-refuted"' in html and "What we believed and what we found" in html
    document = json.loads(exports.to_json(view))
    assert document["schema"] == "journeybot.summary/4"
    assert document["research"]["checked"] == 3
    does = document["phases"][0]["lanes"]["does"]
    assert does[0]["state"] == "confirmed" and does[0]["research"][0]["source"] == "interview"
    assert does[0]["research"][0]["link"] == "https://wiki.example.com/interviews"
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(view))))
    compares = next(row for row in rows if row["text"] == "compares three web shops")
    assert (compares["state"], compares["evidence_count"], compares["sources"]) == ("confirmed", "1", "interview")
    disputed = next(row for row in rows if row["text"] == "shipping costs appear at the very end")
    assert (disputed["state"], disputed["evidence_count"], disputed["sources"]) == ("confirmed", "2", "support survey")
    png = pictures.journey_map_png(view)
    keep_picture("research-en.png", png)
    assert png.startswith(b"\x89PNG")

    # evidence rows with their history
    with unit_of_work(slack.engine) as session:
        assert len(session.exec(select(ResearchEvidence)).all()) == 6  # four on assumptions, two findings' details
        actions = [change.action for change in session.exec(select(ResearchChange))]
        assert actions.count("evidence_added") == 6 and actions.count("settled") == 1
        assert actions.count("volunteered") == 2


def all_exports(view) -> dict[str, str]:
    return {"md": to_markdown(view), "html": exports.to_html(view), "json": exports.to_json(view),
            "csv": exports.to_csv(view)}


def test_the_research_round_in_dutch(slack):
    assumption_map(slack, lang="nl")
    answer = slack.command(LEAD, "research")
    assert "De onderzoeksronde is open" in answer and "5 aannames" in answer
    assert "Onderzoeksronde" in next(m["text"] for m in slack.web_api.messages(slack.channel) if ":mag:" in m["text"])
    buttons = [e["text"]["text"] for b in slack.boards()[0]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons[:4] == ["Bevestigd", "Weerlegd", "Nog onduidelijk", "Ik zoek het uit"]
    assert "Bevinding toevoegen" in buttons

    research_round(slack)
    assert "✓ *bevestigd*" in note_line(slack, "compares three web shops")
    assert "✗ *weerlegd*" in note_line(slack, "overwhelmed by choice")
    assert "Bewijs: 1 · zoekt uit: Ana Amsel" in note_line(slack, "compares three web shops")
    errors, _ = slack.give_evidence(ANA, "the form is too long", "refuted",
                              {"found": "niemand klaagt", "source": "survey", "link": "geen link"})
    assert errors == {"link": "Dat is geen webadres. Plak een link die met https:// begint, of laat het leeg."}

    view = summary_view(slack)
    files = all_exports(view)
    assert "## Wat we dachten en wat we vonden" in files["md"]
    assert "3 van de 5 aannames getoetst (60%): 2 bevestigd, 1 weerlegd, 0 betwist, 2 open." in files["md"]
    assert "weerlegt: People filter by price at once and are not overwhelmed (Observatie, 8 mensen) — Bram Beek" in files["md"]
    assert "Weerlegde aannames" in files["html"] and 'title="weerlegd"' in files["html"]
    assert json.loads(files["json"])["research"]["states"] == {"confirmed": 2, "refuted": 1, "open": 2, "disputed": 0}
    assert "aangenomen -1,00 · uit onderzoek" in files["md"]
    keep_picture("research-nl.png", pictures.journey_map_png(view))


def test_an_anonymous_research_round_never_names_who_found_what(slack, monkeypatch):
    assumption_map(slack, anonymous=True)
    slack.command(LEAD, "research")
    research_round(slack)
    for board in slack.boards():
        shown = block_text(board)
        assert "Ana" not in shown and "Bram" not in shown
    assert "checking: 1" in note_line(slack, "compares three web shops")

    view = summary_view(slack)
    files = all_exports(view)
    slack.command(LEAD, "summary")
    files["slack"] = "\n".join(block_text(m) for m in slack.web_api.messages(slack.channel))
    files["png"] = drawn_texts(monkeypatch, pictures.journey_map_png, view)
    for name, text in files.items():
        assert "Ana" not in text and "Amsel" not in text and "Bram" not in text, name
    document = json.loads(files["json"])
    evidence = document["phases"][0]["lanes"]["does"][0]["research"][0]
    assert evidence["author"] == "anonymous" and evidence["text"].startswith("4 of 5 people")
    assert "refutes: People filter by price" in files["md"]

    # a dispute left open: the map marks every state, in black on white
    slack.give_evidence(ANA, "delivered the next day", "confirmed", {"found": "diary: next day", "source": "diary"})
    slack.give_evidence(BRAM, "delivered the next day", "refuted", {"found": "two days", "source": "analytics"})
    view = summary_view(slack)
    assert view.research.counts == {"confirmed": 2, "refuted": 1, "open": 1, "disputed": 1}
    drawn = drawn_texts(monkeypatch, pictures.journey_map_png, view).splitlines()
    assert sorted(text for text in drawn if text in "✓✗?⚡") == sorted("✓✓✗?⚡")
    keep_picture("research-anonymous.png", pictures.journey_map_png(view))


def home_text(slack, user: str) -> str:
    slack.people.open_home(user)
    return block_text(slack.web_api.home(user))


def direct_messages(slack, user: str) -> list[str]:
    return [m["text"] for m in slack.web_api.messages(slack.web_api.im_channel(user))]


def test_the_home_tab_lists_every_assumption_and_each_persons_checks_and_evidence(slack):
    assumption_map(slack)
    slack.command(LEAD, "research")
    research_round(slack)
    home = home_text(slack, ANA)
    assert "Research in *Ordering online*: 3 of 5 assumptions checked" in home
    assert "*1. Research*\n✓ compares three web shops _(Does)_\n✗ overwhelmed by choice _(Feels)_\n*2. Purchase*" in home
    checks = home.split("*Assumptions you will check*")[1]
    assert "✓ compares three web shops · *Ordering online*" in checks
    evidence = home.split("*Evidence you added*")[1]
    assert "confirms: 4 of 5 people we interviewed compare at least three shops (Interview)" in evidence
    assert "found: Reads reviews before comparing (Survey) · on “Reads reviews before comparing”" in evidence
    assert "You have not taken on any assumption to check." in home_text(slack, LEAD)


def test_remind_during_the_round_nudges_only_volunteers_with_open_checks(slack):
    assumption_map(slack)
    slack.command(LEAD, "research")
    research_round(slack)  # Ana checks and gives evidence; Bram takes "the form is too long" and gives none
    answer = slack.command(LEAD, "remind")
    assert "Reminded 1 volunteer privately about 1 open check." in answer
    nudge = direct_messages(slack, BRAM)[-1]
    assert "offered to check 1 assumption with no evidence" in nudge and "? the form is too long" in nudge
    assert not any("offered to check" in text for text in direct_messages(slack, ANA))
    assert "<@" not in nudge  # nobody is pinged


def test_research_bad_input_gets_a_private_answer_and_stores_nothing_half(slack):
    assumption_map(slack)
    assert "nothing to research" not in slack.command(LEAD, "research")

    # a second click of the same verdict, and of I'll check this: nothing new
    assert "Noted" in slack.press(ANA, "the form is too long", "unclear")
    assert "already said “the form is too long” is not clear yet" in slack.press(ANA, "the form is too long", "unclear")
    slack.press(BRAM, "the form is too long", "check")
    assert "already said you'd check" in slack.press(BRAM, "the form is too long", "check")

    # a link that is no URL, a count that is no number, nothing found: the modal says so and stays open
    assert slack.press(ANA, "compares three web shops", "confirmed") == ""
    view = slack.web_api.open_views(ANA)[-1]
    assert slack.people.submit(ANA, view["id"], {"found": "seen it", "source": "interview", "link": "javascript:alert(1)",
                                                 "people": "many"}) == {
        "link": "That is not a web address. Paste a link starting with https://, or leave it empty.",
        "people": "Give a whole number of people, like 5, or leave it empty."}
    assert slack.people.submit(ANA, view["id"], {"found": "seen it", "source": "interview",
                                                 "link": "https://a.example.com/<!channel>|x"})["link"].startswith("That is not")
    assert slack.people.submit(ANA, view["id"], {"found": "   ", "source": "interview"}) == {"found": "Write what was found."}
    with unit_of_work(slack.engine) as session:
        assert session.exec(select(ResearchEvidence)).all() == [] and session.exec(select(Verdict)).all() != []

    # the same modal submitted twice stores one piece of evidence
    assert slack.people.submit(ANA, view["id"], {"found": "seen it", "source": "interview"}) == {}
    slack.people.replay()
    with unit_of_work(slack.engine) as session:
        assert len(session.exec(select(ResearchEvidence)).all()) == 1
    assert "You already confirmed “compares three web shops”" in slack.press(ANA, "compares three web shops", "confirmed")

    # a verdict on a note deleted meanwhile (a click from a board drawn before): the board loses it
    message, item_id = slack.board_of("overwhelmed by choice")
    with unit_of_work(slack.engine) as session:
        bram_reply = session.get(Item, item_id).message_ts
    slack.people.delete(BRAM, slack.channel, bram_reply)
    assert "No assumptions are left on this board" in slack.web_api.message(slack.channel, message["ts"])["text"]
    slack.press(ANA, "the form is too long", "check")
    before = len(slack.web_api.ephemerals(ANA))

    def on_the_deleted_note(payload: dict) -> None:
        action = payload["actions"][0]
        action["action_id"] = f"research:refuted:{item_id}"
        action["value"] = action["value"].split(":")[0] + f":{item_id}"
    slack.people.replay(on_the_deleted_note)
    assert slack.web_api.ephemerals(ANA)[before:][-1]["text"] == \
        "That assumption was deleted meanwhile, so nothing was recorded."

    # evidence on a closed workshop: the open modal keeps the text and says why
    assert slack.press(BRAM, "compares three web shops", "refuted") == ""
    late = slack.web_api.open_views(BRAM)[-1]
    slack.command(LEAD, "close")
    assert slack.people.submit(BRAM, late["id"], {"found": "late news", "source": "diary"}) == \
        {"found": "The workshop is closed, so it takes no more research. Nothing was stored."}
    assert "closed" in slack.press(ANA, "the form is too long", "refuted")
    with unit_of_work(slack.engine) as session:
        assert [e.text for e in session.exec(select(ResearchEvidence))] == ["seen it"]


def test_a_finding_in_a_boards_thread_needs_its_source_and_follows_edits_and_deletions(slack):
    assumption_map(slack)
    slack.command(LEAD, "research")
    board, _ = slack.board_of("compares three web shops")
    before = len(slack.web_api.ephemerals(ANA))
    slack.reply(ANA, "reads reviews first", prompt_ts=board["ts"])
    assert "say where it comes from" in slack.web_api.ephemerals(ANA)[before]["text"]
    finding = slack.reply(ANA, "reads reviews first #interview", prompt_ts=board["ts"])
    assert "white_check_mark" in slack.web_api.reactions(slack.channel, finding["ts"])
    slack.people.edit(ANA, slack.channel, finding["ts"], "reads many reviews first #diary")
    assumption = slack.web_api.thread(slack.channel, slack.prompts()[2]["ts"])[1]
    slack.people.edit(ANA, slack.channel, assumption["ts"], "does: compares four web shops")
    assert "compares four web shops" in note_line(slack, "compares four web shops")
    with unit_of_work(slack.engine) as session:
        item = session.exec(select(Item).where(Item.message_ts == finding["ts"])).one()
        assert (item.text, item.evidence, item.step_key, item.lane) == ("reads many reviews first", "diary", "journey:1", "does")
        detail = session.exec(select(ResearchEvidence).where(ResearchEvidence.item_id == item.id)).one()
        assert (detail.text, detail.source) == ("reads many reviews first", "diary")
    slack.people.delete(ANA, slack.channel, finding["ts"])
    with unit_of_work(slack.engine) as session:
        assert session.exec(select(Item).where(Item.message_ts == finding["ts"])).first() is None
        assert session.exec(select(ResearchEvidence)).all() == []
        changes = [(c.action, (c.before or {}).get("text")) for c in session.exec(select(ResearchChange))]
    assert changes == [("evidence_added", None), ("evidence_edited", "reads reviews first"),
                       ("evidence_removed", "reads many reviews first")]


def test_a_template_with_a_research_step_opens_the_round_when_the_lead_gets_there(tmp_path):
    templates = tmp_path / "templates.toml"
    templates.write_text('[templates.checked]\nsteps = ["phases", "journey", "research"]\n'
                         '[templates.checked.en]\nname = "Journey, then research"\n', encoding="utf-8")
    with open_standin(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}", people=PEOPLE,
                      templates_path=str(templates)) as slack:
        slack.command(LEAD, "start Ordering online template:checked")
        slack.command(LEAD, "phases Research, Purchase")
        slack.command(LEAD, "next")
        slack.reply(ANA, "does: compares three web shops")
        slack.command(LEAD, "next")
        answer = slack.command(LEAD, "next")
        assert "Research round: check the assumptions" in answer and "The research round is open" in answer
        prompt = slack.prompts()[-1]
        assert prompt["blocks"][1]["text"]["text"] == "Research round: check the assumptions"
        assert len(slack.boards()) == 1 and "? *open* · compares three web shops" in note_line(slack, "compares")
        before = len(slack.web_api.ephemerals(ANA))
        slack.reply(ANA, "a finding without a phase #interview", prompt_ts=prompt["ts"])
        assert "go in the thread of a phase's research board" in slack.web_api.ephemerals(ANA)[before]["text"]


def test_a_large_lane_is_paged_within_slacks_50_blocks(slack):
    slack.command(LEAD, "start Ordering online template:understand")
    slack.command(LEAD, "next")
    slack.command(LEAD, "phases Research, Purchase")
    slack.command(LEAD, "next")
    for number in range(45):
        slack.reply(ANA if number % 2 else BRAM, f"does: compares shop number {number}")
    answer = slack.command(LEAD, "research")
    assert "45 assumptions on 3 board messages" in answer
    pages = slack.boards()
    assert [len(page["blocks"]) for page in pages] == [43, 43, 13]  # 20 + 20 + 5 notes, two blocks each
    assert [page["blocks"][0]["text"]["text"] for page in pages] == [
        f"*Research · 1. Research* · _Does_ (page {n} of 3)" for n in (1, 2, 3)]
    slack.press(ANA, "compares shop number 44", "check")  # the last page is redrawn in place
    assert "checking: Ana Amsel" in note_line(slack, "compares shop number 44")
    assert len(slack.boards()) == 3
    slack.reply(BRAM, "does: compares shop number 45")
    assert "46 assumptions on 3 board messages" in slack.command(LEAD, "research")  # the new note joins page 3
    assert len(slack.boards()) == 3 and "compares shop number 45" in block_text(slack.boards()[-1])


@pytest.mark.parametrize(("lang", "theme"), [("en", "Theme *shipping costs only show up at checkout* ×2"),
                                             ("nl", "Thema *shipping costs only show up at checkout* ×2")])
def test_a_board_shows_a_lanes_notes_theme_by_theme(slack, lang, theme):
    slack.command(LEAD, f"start Ordering online template:understand lang:{lang}")
    slack.command(LEAD, "next")
    slack.command(LEAD, "phases Research, Purchase")
    slack.command(LEAD, "next")
    prefix = {"en": "thinks", "nl": "denkt"}[lang]
    for author, text in ((ANA, "shipping costs only show up at checkout"), (BRAM, "the search finds nothing useful"),
                         (LEAD, "Shipping costs only show up at the checkout!")):
        slack.reply(author, f"{prefix}: {text}")
    slack.command(LEAD, "research")
    (board,) = slack.boards()
    text = block_text(board)
    assert text.count(theme) == 1
    first, second, other = (text.index(note) for note in (
        "shipping costs only show up at checkout ", "Shipping costs only show up at the checkout!", "search finds"))
    assert text.index(theme) < first < second < other  # the theme's notes together, under its name
