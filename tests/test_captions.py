"""A storyboard panel's caption is the team's pick: a lead picks it from the menu beside the panel in the
summary (real block_actions with a static_select, through the Bolt app), or it is the most voted answer.
The pick shows in the next summary, the storyboard picture, the canvas and every export, with the other
answers listed under it; only leads may pick, a pick can be cleared, and a deleted answer lets go of it."""
import csv
import io
import json

import pytest
from sqlmodel import select

from bot.standin.session import open_standin
from renderers.pictures import CAPTION_SIZE, OTHER_SIZE
from renderers.sheet import Sheet
from renderers.slack import MAX_OPTIONS
from storage import repository as repo
from storage.db import unit_of_work
from storage.models import CaptionPick
from tests.test_workshop import block_text

LEAD, ANA, BRAM, CHLOE = "U0LEAD", "U0ANA", "U0BRAM", "U0CHLOE"
PEOPLE = {LEAD: "Lena Lead", ANA: "Ana", BRAM: "Bram", CHLOE: "Chloé"}
FIRST, PICKED, VOTED = ("Sam loses orders while her hands are in the dough", "Sam forgets who ordered <what>",
                        "The phone rings all day")
WORDS = {
    "en": {"caption": "*Caption*", "picked": "_the lead's pick_", "others": "_Other answers_",
           "saved": ("The caption of *", "* is now: “Sam forgets who ordered &lt;what&gt;”"),
           "only_lead": "Only the workshop's lead", "cleared": "has no picked caption any more: the most voted answer",
           "gone": "That answer is no longer in", "drawn_pick": "the lead's pick", "nothing": "Nothing yet"},
    "nl": {"caption": "*Bijschrift*", "picked": "_gekozen door de leider_", "others": "_Andere antwoorden_",
           "saved": ("Het bijschrift van *", "* is nu: “Sam forgets who ordered &lt;what&gt;”"),
           "only_lead": "Alleen de leider van de workshop", "cleared": "heeft geen gekozen bijschrift meer",
           "gone": "Dat antwoord staat niet meer bij", "drawn_pick": "gekozen door de leider", "nothing": "Nog niets"},
}


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        yield local


def start(slack, lang: str = "en", extra: str = "") -> dict[str, str]:
    """A storyboard workshop whose first panel has three answers (Ana's, Bram's, Chloé's) and whose second has
    one; the other three have none. Returns the ts of each answer by its text."""
    slack.command(LEAD, f"start Bakery orders template:storyboard lang:{lang} {extra}".strip())
    sent = {text: slack.reply(user, text)["ts"] for user, text in ((ANA, FIRST), (BRAM, PICKED), (CHLOE, VOTED))}
    slack.command(LEAD, "next")
    slack.reply(ANA, ":rocket: Sam puts her shop online")
    return sent


def post_summary(slack) -> dict:
    slack.command(LEAD, "summary")
    return [m for m in slack.web_api.messages(slack.channel)
            if any(block.get("block_id") == "panel_1" for block in m.get("blocks") or [])][-1]


def panel(message: dict, number: int) -> dict:
    return next(block for block in message["blocks"] if block.get("block_id") == f"panel_{number}")


def menu(message: dict, number: int = 1) -> dict | None:
    return panel(message, number).get("accessory")


def choose(slack, user: str, message: dict, text: str | None, number: int = 1) -> str:
    """``user`` picks the option starting with ``text`` (None: the first option, no pick) in the panel's caption
    menu of the summary ``message``; returns what the bot answered them privately."""
    element = menu(message, number)
    option = element["options"][0] if text is None else next(
        option for option in element["options"] if option["text"]["text"].startswith(text))
    before = len(slack.web_api.ephemerals(user))
    slack.people.click(user, message_ts=message["ts"], action_id=element["action_id"], value=option["value"])
    return "\n".join(answer["text"] for answer in slack.web_api.ephemerals(user)[before:])


def picks(slack) -> list[CaptionPick]:
    with unit_of_work(slack.engine) as session:
        return list(session.exec(select(CaptionPick)))


def file_text(slack, kind: str) -> str:
    slack.command(LEAD, f"export {kind}")
    return slack.web_api.files()[-1]["content"].decode()


@pytest.fixture
def drawn(monkeypatch):
    """Every text the pictures draw from now on (wrapped lines joined) with its size, caught where the renderer
    hands it to matplotlib."""
    texts: list[tuple[str, float]] = []
    original = Sheet.text
    monkeypatch.setattr(Sheet, "text", lambda sheet, x, y, text, size, *args, **kw: (
        texts.append((" ".join(text.split()), size)), original(sheet, x, y, text, size, *args, **kw))[1])
    return texts


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_leads_pick_captions_the_panel_in_the_summary_the_picture_the_canvas_and_the_exports(slack, drawn, lang):
    words = WORDS[lang]
    start(slack, lang, "canvas:on")
    summary = post_summary(slack)
    assert f"{words['caption']}: {FIRST} — _Ana_" in panel(summary, 1)["text"]["text"]  # no votes: the first

    answer = choose(slack, LEAD, summary, "Sam forgets")
    assert answer.startswith(words["saved"][0]) and words["saved"][1] in answer

    drawn.clear()
    summary = post_summary(slack)
    text = panel(summary, 1)["text"]["text"]
    assert f"{words['caption']} · {words['picked']}: Sam forgets who ordered &lt;what&gt; — _Bram_" in text
    assert text.index(words["others"]) < text.index(f"• {FIRST} — _Ana_") and f"• {VOTED} — _Chloé_" in text
    assert menu(summary)["initial_option"]["text"]["text"] == PICKED
    # the storyboard picture posted with it: the pick as the caption, the others in small type under the strip
    assert (PICKED, CAPTION_SIZE) in drawn and (FIRST + " — Ana", OTHER_SIZE) in drawn
    assert any(words["drawn_pick"] in text and "Bram" in text for text, _ in drawn)
    assert slack.web_api.files()[-1]["name"] == "storyboard-bakery-orders.png"

    document = json.loads(file_text(slack, "json"))
    first_panel = document["storyboard"][0]
    caption = next(item for item in first_panel["items"] if item["id"] == first_panel["caption_id"])
    assert caption["text"] == PICKED and first_panel["caption_picked"] is True and len(first_panel["items"]) == 3
    rows = list(csv.DictReader(io.StringIO(file_text(slack, "csv"))))
    assert {row["text"]: row["caption"] for row in rows if row["step"] == "story_customer"} == {
        FIRST: "", PICKED: "picked", VOTED: ""}
    markdown = file_text(slack, "md")
    assert (f"{words['caption'].replace('*', '**')} · {words['picked']}\n\n- Sam forgets who ordered \\<what\\> — Bram\n\n"
            f"{words['others']}\n\n- {FIRST} — Ana\n- {VOTED} — Chloé\n") in markdown
    html = file_text(slack, "html")
    assert '<ul class="notes caption">' in html and "Sam forgets who ordered &lt;what&gt;" in html
    (canvas,) = slack.web_api.canvases()
    assert f"{words['caption'].replace('*', '**')} · {words['picked']}" in canvas["markdown"]
    assert canvas["markdown"].index("Sam forgets who ordered") < canvas["markdown"].index(FIRST)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_only_a_lead_picks_a_caption_and_nothing_is_stored_for_anyone_else(slack, lang):
    start(slack, lang)
    summary = post_summary(slack)
    assert WORDS[lang]["only_lead"] in choose(slack, ANA, summary, "Sam forgets")
    assert picks(slack) == []
    assert f"{WORDS[lang]['caption']}: {FIRST}" in panel(post_summary(slack), 1)["text"]["text"]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_clearing_the_pick_brings_back_the_most_voted_answer(slack, lang):
    words = WORDS[lang]
    start(slack, lang)
    with unit_of_work(slack.engine) as session:  # a vote on Chloé's answer makes it the most voted
        voted = next(item for item in repo.items_in_lane(session, workshop_id=1, lane="panel") if item.text == VOTED)
        repo.add_vote(session, workshop_id=1, item_id=voted.id, user_id=ANA)
    summary = post_summary(slack)
    assert f"{words['caption']}: {VOTED}" in panel(summary, 1)["text"]["text"]
    choose(slack, LEAD, summary, "Sam forgets")
    summary = post_summary(slack)
    assert f"{words['caption']} · {words['picked']}: Sam forgets" in panel(summary, 1)["text"]["text"]

    answer = choose(slack, LEAD, summary, None)
    assert words["cleared"] in answer and f"“{VOTED}”" in answer
    assert picks(slack) == []
    text = panel(post_summary(slack), 1)["text"]["text"]
    assert f"{words['caption']}: {VOTED}" in text and words["picked"] not in text


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_deleting_the_picked_answer_lets_the_caption_fall_back(slack, lang):
    words = WORDS[lang]
    sent = start(slack, lang)
    summary = post_summary(slack)
    choose(slack, LEAD, summary, "Sam forgets")
    slack.people.delete(BRAM, slack.channel, sent[PICKED])
    assert picks(slack) == []
    text = panel(post_summary(slack), 1)["text"]["text"]
    assert f"{words['caption']}: {FIRST} — _Ana_" in text and "Sam forgets" not in text
    # the older summary's menu still offers the deleted answer: picking it changes nothing
    assert words["gone"] in choose(slack, LEAD, summary, "Sam forgets")
    assert picks(slack) == []


def test_deleting_the_workshop_deletes_its_picks(slack):
    start(slack)
    choose(slack, LEAD, post_summary(slack), "Sam forgets")
    assert len(picks(slack)) == 1
    slack.command(LEAD, "delete")
    question = slack.web_api.ephemerals(LEAD)[-1]
    slack.people.click(LEAD, message_ts=question["ts"], action_id="delete_confirm")
    assert picks(slack) == []


def test_a_co_lead_picks_too_and_the_last_pick_stays(slack):
    start(slack)
    slack.command(LEAD, f"lead <@{CHLOE}|Chloé>")
    summary = post_summary(slack)
    choose(slack, LEAD, summary, "Sam forgets")
    choose(slack, CHLOE, summary, "The phone rings")
    assert f"*Caption* · _the lead's pick_: {VOTED}" in panel(post_summary(slack), 1)["text"]["text"]


def test_a_pick_in_the_home_tabs_summary_modal_is_confirmed_over_it(slack):
    start(slack)
    slack.command(LEAD, "close")
    slack.people.open_home(LEAD)
    home = slack.web_api.home(LEAD)
    slack.people.click_in_view(LEAD, home["id"], next(
        element["action_id"] for block in home["blocks"] if block.get("accessory")
        for element in [block["accessory"]] if element["action_id"].startswith("home_summary:")))
    modal = slack.web_api.open_views(LEAD)[-1]
    element = next(block["accessory"] for block in modal["blocks"] if block.get("block_id") == "panel_1")
    value = next(option["value"] for option in element["options"] if option["text"]["text"] == PICKED)
    slack.people.click_in_view(LEAD, modal["id"], element["action_id"], value)
    notice = slack.web_api.open_views(LEAD)[-1]
    assert "The caption of *" in block_text(notice) and "* is now: “Sam forgets" in block_text(notice)
    assert [pick.user_id for pick in picks(slack)] == [LEAD]


def test_panels_with_no_one_and_many_answers_render(slack, drawn):
    start(slack)
    with unit_of_work(slack.engine) as session:  # 150 more answers in the second panel, as thread replies store them
        for number in range(150):
            repo.add_item(session, workshop_id=1, step_key="story_pain", phase=None, lane="panel",
                          text=f"Reason {number} why it hurts, " + "with a long explanation " * 5, author_id=BRAM,
                          source="thread", dedupe_key=f"seed:{number}")
    summary = post_summary(slack)
    assert len(summary["blocks"]) <= 50
    one, many, none = panel(summary, 1), panel(summary, 2), panel(summary, 3)
    assert "Nothing yet" in none["text"]["text"] and "accessory" not in none
    options = many["accessory"]["options"]
    assert len(options) == MAX_OPTIONS and all(len(option["text"]["text"]) <= 75 for option in options)
    assert options[0]["text"]["text"] == "The most voted answer (no pick)"
    assert options[1]["text"]["text"].startswith("Reason 149 why it hurts")  # no votes: the newest first
    assert "The menu offers 99 of the 151 answers: the most voted, then the newest." in many["text"]["text"]
    assert len(one["accessory"]["options"]) == 4
    # a panel of one answer has nothing to pick from
    slack.command(LEAD, "next")
    slack.reply(ANA, "Sam finds the shop through a friend")
    summary = post_summary(slack)
    assert "*Caption*: Sam finds the shop through a friend" in panel(summary, 3)["text"]["text"]
    assert "accessory" not in panel(summary, 3)
    assert ("Sam finds the shop through a friend", CAPTION_SIZE) in drawn
    # the summary left answers out, so the whole of it follows as a file, after the storyboard picture
    assert [f["name"] for f in slack.web_api.files()][-2:] == ["storyboard-bakery-orders.png", "summary-bakery-orders.md"]


@pytest.mark.parametrize("lang, button", [("en", "Storyboard captions"), ("nl", "Bijschriften storyboard")])
def test_a_lead_picks_captions_from_the_home_tab_and_others_see_no_such_button(slack, lang, button):
    start(slack, lang)
    slack.people.open_home(ANA)
    assert button not in json.dumps(slack.web_api.home(ANA))
    slack.people.open_home(LEAD)
    home = slack.web_api.home(LEAD)
    (row,) = [block for block in home["blocks"] if (block.get("accessory") or {}).get("text", {}).get("text") == button]
    assert "Bakery orders" in row["text"]["text"]
    slack.people.click_in_view(LEAD, home["id"], row["accessory"]["action_id"])
    modal = slack.web_api.open_views(LEAD)[-1]
    assert [block.get("block_id") for block in modal["blocks"][1:]] == [f"panel_{n}" for n in range(1, 6)]
    element = panel(modal, 1)["accessory"]
    value = next(option["value"] for option in element["options"] if option["text"]["text"] == PICKED)
    slack.people.click_in_view(LEAD, modal["id"], element["action_id"], value)
    notice = block_text(slack.web_api.open_views(LEAD)[-1])
    assert WORDS[lang]["saved"][1] in notice
    assert f"{WORDS[lang]['caption']} · {WORDS[lang]['picked']}: Sam forgets" in panel(post_summary(slack), 1)["text"]["text"]


def test_a_pick_is_one_per_panel_and_goes_with_its_answer_on_sqlite_and_postgresql(engine):
    from sqlalchemy import text

    from storage.schema import downgrade, upgrade

    with unit_of_work(engine) as session:
        workshop = repo.create_workshop(session, team_id="T1", channel_id="C1", title="Bakery", kind="customer",
                                        template="storyboard", lang="en", lead_id=LEAD, phases=[],
                                        first_step="story_customer")
        first, second = (repo.add_item(session, workshop_id=workshop.id, step_key="story_customer", phase=None,
                                       lane="panel", text=text_, author_id=ANA, source="thread",
                                       dedupe_key=f"k{number}")[0] for number, text_ in enumerate((FIRST, PICKED)))
        workshop_id, first_id, second_id = workshop.id, first.id, second.id
    for item_id in (first_id, second_id):  # a second pick replaces the first
        with unit_of_work(engine) as session:
            repo.pick_caption(session, workshop_id=workshop_id, step_key="story_customer", item_id=item_id, user_id=LEAD)
    with unit_of_work(engine) as session:
        assert repo.caption_picks(session, workshop_id=workshop_id) == {"story_customer": second_id}
        repo.delete_item(session, item=repo.item_by_id(session, item_id=second_id))
    with unit_of_work(engine) as session:
        assert repo.caption_picks(session, workshop_id=workshop_id) == {}
        repo.pick_caption(session, workshop_id=workshop_id, step_key="story_customer", item_id=first_id, user_id=LEAD)
    with engine.begin() as connection:  # the database itself lets go of a pick whose answer is gone
        connection.execute(text("DELETE FROM item WHERE id = :id"), {"id": first_id})
        assert connection.execute(text("SELECT count(*) FROM caption_pick")).scalar() == 0

    downgrade(engine, "0006_research")
    with engine.connect() as connection:
        assert "caption_pick" not in {row[0] for row in connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'table'" if engine.dialect.name == "sqlite"
            else "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))}
    upgrade(engine)
    with unit_of_work(engine) as session:
        assert repo.caption_picks(session, workshop_id=workshop_id) == {}


def test_forged_or_stale_picks_change_nothing_and_say_so(slack):
    start(slack)
    summary = post_summary(slack)
    choose(slack, LEAD, summary, "Sam forgets")
    stored = [(pick.step_key, pick.item_id) for pick in picks(slack)]
    with unit_of_work(slack.engine) as session:  # an answer of the second panel, offered in the first's menu
        other = next(item.id for item in repo.items_in_lane(session, workshop_id=1, lane="panel")
                     if item.step_key == "story_pain")

    def forged(*, action_id: str | None = None, value: str | None = None):
        def edit(payload: dict) -> None:
            action = payload["actions"][0]
            action["action_id"] = action_id or action["action_id"]
            action["selected_option"]["value"] = value or action["selected_option"]["value"]
        choose(slack, LEAD, summary, "Sam forgets")  # a real pick first: a response_url serves five answers
        before = len(slack.web_api.ephemerals(LEAD))
        slack.people.replay(edit)
        return "\n".join(answer["text"] for answer in slack.web_api.ephemerals(LEAD)[before:])

    assert "That answer is no longer in *" in forged(value=str(other))
    assert "That answer is no longer in *" in forged(value="'; DROP TABLE item; --")
    assert "has no journey workshop" in forged(action_id="caption:999:story_customer")
    assert "That storyboard panel is no longer in the workshop" in forged(action_id="caption:1:journey:1")
    assert "That button is not yours" in forged(action_id="caption:x:story_customer")
    assert [(pick.step_key, pick.item_id) for pick in picks(slack)] == stored
