"""Themes: notes that say the same thing become one theme with a label, a count and its people; a lead
corrects them from the summary (rename, merge, move a note) through the real Bolt app, and the correction
sticks. Also the grouping itself (deterministic, no names in anonymous workshops) and the labelled set."""
import csv
import io
import json
from dataclasses import dataclass

import pytest

from bench import themes as bench
from bot.standin.session import open_standin
from flows import themes
from flows.hmw import draft as draft_hmw
from flows.texts import load_pack
from renderers.exports import to_csv, to_json
from tests.factories import make_item, make_workshop, summary_of
from tests.test_workshop import block_text

LEAD, ANA, BRAM, CHLOE = "U0LEAD", "U0ANA", "U0BRAM", "U0CHLOE"
PEOPLE = {LEAD: "Lena Lead", ANA: "Ana", BRAM: "Bram", CHLOE: "Chloé"}

ENGLISH_NOTES = [  # (who, reply) in the Checkout phase
    (ANA, "thinks: The price shows too late"),
    (BRAM, "thinks: the price shows up too late!"),
    (CHLOE, "thinks: Shipping costs only appear at checkout"),
    (BRAM, "thinks: The price is too high"),
    (CHLOE, "thinks: price is way too high"),
    (ANA, "thinks: Why do I have to create an account to order?"),
]
DUTCH_NOTES = [
    (ANA, "denkt: De prijs komt te laat"),
    (BRAM, "denkt: de prijs komt pas aan het eind"),
    (CHLOE, "denkt: De prijs is te hoog"),
    (ANA, "denkt: De prijs is veel te hoog"),
    (BRAM, "denkt: Waarom moet ik een account aanmaken om te bestellen?"),
]


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        yield local


def run_workshop(slack, notes, *, start: str, phases: str) -> None:
    slack.command(LEAD, start)
    slack.command(LEAD, "next")
    slack.command(LEAD, f"phases {phases}")
    slack.command(LEAD, "next")
    for user, text in notes:
        slack.reply(user, text)


def summaries(slack) -> list[dict]:
    return [m for m in slack.web_api.messages(slack.channel)
            if any(block.get("block_id") == "themes" for block in m.get("blocks") or [])]


def post_summary(slack) -> tuple[dict, str]:
    slack.command(LEAD, "summary")
    message = summaries(slack)[-1]
    return message, block_text(message)


def open_editor(slack, user: str, message: dict) -> dict:
    slack.people.click(user, channel=slack.channel, message_ts=message["ts"], action_id="themes_edit")
    return slack.web_api.open_views(user)[-1]


def option_for(view: dict, block_id: str, contains: str) -> str:
    block = next(block for block in view["blocks"] if block.get("block_id") == block_id)
    return next(option["value"] for option in block["element"]["options"] if contains in option["text"]["text"])


def correct(slack, message: dict, theme: str, action: str, **details: str) -> str:
    """The lead presses Edit themes, picks the theme (by part of its label) and the action, fills in the
    details (block id -> part of the option's text, or the text for a label); returns the notice shown."""
    picker = open_editor(slack, LEAD, message)
    assert slack.people.submit(LEAD, picker["id"], {"theme": option_for(picker, "theme", theme),
                                                    "action": action}) == {}
    form = slack.web_api.open_views(LEAD)[-1]
    values = {block: (text if block == "label" else option_for(form, block, text)) for block, text in details.items()}
    assert slack.people.submit(LEAD, form["id"], values) == {}
    notice = slack.web_api.open_views(LEAD)[-1]
    return block_text(notice)


def test_near_duplicates_become_one_theme_with_its_count_and_people(slack):
    run_workshop(slack, ENGLISH_NOTES, start="start Ordering online template:understand", phases="Checkout, Delivery")
    _, summary = post_summary(slack)
    assert "*The price shows too late* ×3 — _Ana, Bram, Chloé_" in summary
    assert "*The price is too high* ×2 — _Bram, Chloé_" in summary
    assert "Why do I have to create an account to order? — _Ana_" in summary  # a theme of one is its note


def test_a_lead_renames_merges_and_moves_and_the_corrections_stick(slack):
    run_workshop(slack, ENGLISH_NOTES, start="start Ordering online template:understand", phases="Checkout, Delivery")
    message, _ = post_summary(slack)

    notice = correct(slack, message, "The price shows too late", "rename", label="Price <b>surprise</b> at checkout")
    assert "now called “Price &lt;b&gt;surprise&lt;/b&gt; at checkout”" in notice
    message, summary = post_summary(slack)
    assert "*Price &lt;b&gt;surprise&lt;/b&gt; at checkout* ×3 — _Ana, Bram, Chloé_" in summary

    notice = correct(slack, message, "Why do I have to create", "merge", target="The price is too high")
    assert "Merged “Why do I have to create an account to order?” into “The price is too high”" in notice
    message, summary = post_summary(slack)
    assert "*The price is too high* ×3 — _Ana, Bram, Chloé_" in summary

    notice = correct(slack, message, "The price is too high", "move", note="Why do I have to create",
                     target="A theme of its own")
    assert "Moved “Why do I have to create an account to order?” to “A theme of its own”" in notice
    notice = correct(slack, message, "Price <b>surprise", "move", note="Shipping costs only appear",
                     target="The price is too high")
    message, summary = post_summary(slack)
    assert "*Price &lt;b&gt;surprise&lt;/b&gt; at checkout* ×2 — _Ana, Bram_" in summary
    assert "*The price is too high* ×3 — _Bram, Chloé_" in summary
    assert "Why do I have to create an account to order? — _Ana_" in summary

    # a new note that repeats one still joins its theme, and the corrections still hold
    slack.reply(ANA, "thinks: the price shows too late")
    _, summary = post_summary(slack)
    assert "*Price &lt;b&gt;surprise&lt;/b&gt; at checkout* ×3 — _Ana, Bram_" in summary
    assert "*The price is too high* ×3 — _Bram, Chloé_" in summary


def test_a_long_theme_label_is_shortened_in_the_editor_and_keeps_its_count(slack):
    run_workshop(slack, ENGLISH_NOTES, start="start Ordering online template:understand", phases="Checkout, Delivery")
    message, _ = post_summary(slack)
    long_label = "The price shows up too late in the checkout, after the customer has typed in every address field"
    correct(slack, message, "The price shows too late", "rename", label=long_label)
    message, _ = post_summary(slack)
    picker = open_editor(slack, LEAD, message)
    options = next(block for block in picker["blocks"] if block.get("block_id") == "theme")["element"]["options"]
    line = next(option["text"]["text"] for option in options if "The price shows up too late" in option["text"]["text"])
    assert line.startswith("1. Checkout · ") and line.endswith("… ×3"), line
    assert len(line) <= 75


def test_only_a_lead_can_edit_themes_and_bad_choices_are_explained(slack):
    run_workshop(slack, ENGLISH_NOTES, start="start Ordering online template:understand", phases="Checkout, Delivery")
    message, _ = post_summary(slack)
    views_before = len(slack.web_api.open_views(ANA))
    slack.people.click(ANA, channel=slack.channel, message_ts=message["ts"], action_id="themes_edit")
    assert len(slack.web_api.open_views(ANA)) == views_before
    assert "Only the workshop's lead" in slack.web_api.ephemerals(ANA)[-1]["text"]

    picker = open_editor(slack, LEAD, message)
    errors = slack.people.submit(LEAD, picker["id"], {"theme": option_for(picker, "theme", "Why do I have to"),
                                                      "action": "move"})
    assert errors == {"theme": "This theme has one note; to move it, merge the theme into another one."}
    form = slack.web_api.open_views(LEAD)[-1]
    errors = slack.people.submit(LEAD, form["id"], {"theme": option_for(picker, "theme", "The price is too high"),
                                                    "action": "rename"})
    assert errors == {}
    form = slack.web_api.open_views(LEAD)[-1]
    assert slack.people.submit(LEAD, form["id"], {"label": "   "}) == {"label": "Give the theme a label."}
    _, summary = post_summary(slack)
    assert "*The price is too high* ×2" in summary  # nothing half-stored


def test_a_dutch_lead_corrects_themes_in_dutch(slack):
    run_workshop(slack, DUTCH_NOTES, start="start Online bestellen lang:nl template:understand",
                 phases="Afrekenen, Bezorging")
    message, summary = post_summary(slack)
    assert "*De prijs komt te laat* ×2 — _Ana, Bram_" in summary
    assert "*De prijs is te hoog* ×2 — _Ana, Chloé_" in summary
    assert message["blocks"][-1]["elements"][0]["text"]["text"] == "Thema's aanpassen"
    picker = open_editor(slack, LEAD, message)
    assert picker["title"]["text"] == "Thema's aanpassen"
    notice = correct(slack, message, "De prijs komt te laat", "merge", target="De prijs is te hoog")
    assert "“De prijs komt te laat” is samengevoegd met “De prijs is te hoog”" in notice
    _, summary = post_summary(slack)
    assert "*De prijs is te hoog* ×4 — _Ana, Bram, Chloé_" in summary


def test_an_anonymous_workshop_shows_no_people_with_its_themes(slack):
    run_workshop(slack, ENGLISH_NOTES, start="start Ordering online template:understand anonymous:on",
                 phases="Checkout, Delivery")
    _, summary = post_summary(slack)
    assert "*The price shows too late* ×3\n" in summary + "\n"
    assert not any(name in summary for name in ("Ana", "Bram", "Chloé"))


# -- the grouping, without Slack ---------------------------------------------------------------

@dataclass
class Edit:
    action: str
    item_id: int
    target_item_id: int | None = None
    label: str | None = None


TEXTS = ["The price shows too late", "the price shows up too late!", "The price is too high",
         "price is way too high", "Can't pay with iDEAL", "Ik kan niet betalen met iDEAL"]
IDS = [11, 12, 13, 14, 15, 16]


def members(grouped, ids=IDS):
    return sorted(sorted(ids[index] for index in group.members) for group in grouped)


def test_grouping_is_deterministic_and_keeps_differing_notes_apart():
    first = themes.themes_of(TEXTS, IDS)
    assert first == themes.themes_of(list(TEXTS), list(IDS))
    assert members(first) == [[11, 12], [13, 14], [15, 16]]


def test_edits_merge_move_and_rename_in_order():
    edits = [Edit("merge", 13, 11), Edit("rename", 14, label="Price"), Edit("move", 12, None),
             Edit("move", 15, 11), Edit("rename", 99, label="not in this lane")]
    grouped = themes.themes_of(TEXTS, IDS, edits)
    assert members(grouped) == [[11, 13, 14, 15], [12], [16]]
    assert {group.label for group in grouped} == {"Price", None}
    assert next(group for group in grouped if 11 in [IDS[i] for i in group.members]).label == "Price"


def test_summary_themes_name_people_only_when_the_workshop_is_not_anonymous():
    for anonymous in (False, True):
        workshop = make_workshop(anonymous=anonymous)
        items = [make_item("thinks", text, phase=1, workshop=workshop, author_id=author)
                 for text, author in [("The price shows too late", "U1"), ("the price shows up too late", "U2")]]
        view = summary_of(workshop, items)
        theme = view.phases[0].themes["thinks"][0]
        assert theme.count == 2 and theme.id == f"t{min(item.id for item in items)}"
        assert bool(theme.people) is not anonymous
        document = json.loads(to_json(view))
        assert document["phases"][0]["themes"]["thinks"][0]["people"] == list(theme.people)


def test_exports_list_every_theme_with_its_note_ids_and_csv_has_a_theme_column():
    workshop = make_workshop()
    items = [make_item("thinks", text, phase=1, workshop=workshop) for text in TEXTS]
    view = summary_of(workshop, items)
    document = json.loads(to_json(view))
    listed = document["phases"][0]["themes"]["thinks"]
    assert sorted(note for theme in listed for note in theme["note_ids"]) == sorted(item.id for item in items)
    assert {len(theme["note_ids"]) for theme in listed} == {2}
    rows = list(csv.DictReader(io.StringIO(to_csv(view))))
    late = [row for row in rows if "too late" in row["text"]]
    assert len({row["theme_id"] for row in late}) == 1 and late[0]["theme"] == "The price shows too late"


def test_the_labelled_set_meets_the_targets():
    """The benchmark numbers (bench/themes.py), held as a floor: see bench/results/themes.md."""
    notes, contrasts = bench.load()
    scores = bench.evaluate(notes, contrasts)
    assert scores["precision"] >= bench.TARGETS["precision"]
    assert scores["by_kind"]["near_duplicate"]["share"] >= bench.TARGETS["near_duplicate"]
    assert scores["differing_merged"] <= bench.TARGETS["differing_merged"]
    assert scores["ari"] >= bench.TARGETS["ari"]


def test_a_lead_corrects_themes_from_the_summary_in_the_home_tab(slack):
    run_workshop(slack, ENGLISH_NOTES, start="start Ordering online template:understand", phases="Checkout, Delivery")
    slack.command(LEAD, "close")
    slack.people.open_home(LEAD)
    home = slack.web_api.home(LEAD)
    action_id = next(block["accessory"]["action_id"] for block in home["blocks"]
                     if block.get("accessory", {}).get("action_id", "").startswith("home_summary:"))
    slack.people.click_in_view(LEAD, home["id"], action_id)
    summary_modal = slack.web_api.open_views(LEAD)[-1]
    slack.people.click_in_view(LEAD, summary_modal["id"], "themes_edit")
    picker = slack.web_api.open_views(LEAD)[-1]
    assert picker["callback_id"] == "themes_pick" and len(slack.web_api.open_views(LEAD)) == 2  # pushed over it
    assert slack.people.submit(LEAD, picker["id"], {"theme": option_for(picker, "theme", "The price is too high"),
                                                    "action": "rename"}) == {}
    form = slack.web_api.open_views(LEAD)[-1]
    assert slack.people.submit(LEAD, form["id"], {"label": "Too expensive"}) == {}
    _, summary = post_summary(slack)
    assert "*Too expensive* ×2 — _Bram, Chloé_" in summary


FEELING_NOTES = [  # Checkout, then the opportunities step, for "How might we" drafts
    (ANA, "feels: :( overwhelmed"),
    (BRAM, "feels: :( overwhelmed!"),
    (CHLOE, "feels: :) relieved"),
]


def drafts_in(summary: str) -> list[str]:
    hmw = summary.split("*How might we …*\n")[1].split("\n*")[0]
    return [line for line in hmw.splitlines() if "_(draft)_" in line]


def test_the_vote_takes_a_draft_only_when_the_lead_adds_it(slack):
    run_workshop(slack, FEELING_NOTES, start="start Ordering online template:understand", phases="Checkout")
    slack.command(LEAD, "next")  # the opportunities
    slack.reply(BRAM, "Show shipping costs on the product page")
    slack.command(LEAD, "next")  # How might we
    slack.reply(CHLOE, "How might we make comparing shops unnecessary?")
    message, summary = post_summary(slack)
    assert drafts_in(summary) == [
        "• How might we help the end user feel less overwhelmed in the Checkout phase? _(draft)_",
        "• How might we show shipping costs on the product page? _(draft)_"]
    assert "1 question," in slack.command(LEAD, "hmw")  # the team's own; the drafts are not in it
    board = [m for m in slack.web_api.messages(slack.channel) if m["text"].startswith("Vote")][-1]
    assert "overwhelmed" not in block_text(board)

    slack.people.click(ANA, channel=slack.channel, message_ts=message["ts"], action_id="hmw_drafts")
    assert "Only the workshop's lead" in slack.web_api.ephemerals(ANA)[-1]["text"]
    slack.people.click(LEAD, channel=slack.channel, message_ts=message["ts"], action_id="hmw_drafts")
    modal = slack.web_api.open_views(LEAD)[-1]
    assert "1. How might we help the end user feel less overwhelmed in the Checkout phase?" in block_text(modal)
    chosen = option_for(modal, "drafts", "feel less overwhelmed")
    assert slack.people.submit(LEAD, modal["id"], {"drafts": [chosen]}) == {}
    assert "Added 1 question to the vote. It now counts as the team's own." in block_text(slack.web_api.open_views(LEAD)[-1])

    board = [m for m in slack.web_api.messages(slack.channel) if m["text"].startswith("Vote")][-1]
    assert "How might we help the end user feel less overwhelmed in the Checkout phase?" in block_text(board)
    _, summary = post_summary(slack)
    assert drafts_in(summary) == ["• How might we show shipping costs on the product page? _(draft)_"]
    assert "feel less overwhelmed in the Checkout phase? — _Lena Lead_" in summary


def test_deleting_a_note_that_a_correction_names_drops_only_that_correction(slack):
    run_workshop(slack, ENGLISH_NOTES[:2] + ENGLISH_NOTES[3:5],
                 start="start Ordering online template:understand", phases="Checkout, Delivery")
    message, _ = post_summary(slack)
    correct(slack, message, "The price is too high", "rename", label="Too expensive")
    correct(slack, message, "The price shows too late", "rename", label="Price comes late")
    first = next(m for m in slack.web_api.thread(slack.channel, slack.open_prompt()["ts"])
                 if m.get("text") == "thinks: The price shows too late")
    slack.people.delete(ANA, slack.channel, first["ts"])
    _, summary = post_summary(slack)
    assert "the price shows up too late! — _Bram_" in summary  # its theme lost the note its label hung on
    assert "*Too expensive* ×2 — _Bram, Chloé_" in summary


@pytest.mark.parametrize("lang, lane, wording, question", [
    ("en", "insight", "Show shipping costs on the product page.",
     "How might we show shipping costs on the product page?"),
    ("en", "thinks", "The price is too high", "How might we change the fact that the price is too high?"),
    ("en", "feels", "overwhelmed by choice",
     "How might we help the end user feel less overwhelmed by choice in the Purchase phase?"),
    ("en", "thinks", "Slow delivery", "How might we deal with slow delivery?"),
    ("en", "thinks", "Why do shipping costs only show up now?",
     "How might we answer the end user's question “Why do shipping costs only show up now?”"),
    ("en", "thinks", "Can't pay with iDEAL", "How might we solve “Can't pay with iDEAL” for the end user?"),
    ("en", "insight", "Guest checkout", "How might we make “Guest checkout” happen?"),
    ("en", "insight", "Nobody remembers which toner fits which printer",
     "How might we solve “Nobody remembers which toner fits which printer” for the end user?"),
    ("en", "insight", "Paying needs someone from finance, which stalls every order",
     "How might we solve “Paying needs someone from finance, which stalls every order” for the end user?"),
    ("nl", "insight", "Snelle levering", "Hoe kunnen we “Snelle levering” waarmaken?"),
    ("nl", "insight", "Betalen vraagt iemand van financiën, dat elke bestelling ophoudt",
     "Hoe kunnen we het probleem “Betalen vraagt iemand van financiën, dat elke bestelling ophoudt” oplossen?"),
    ("nl", "insight", "Toon de verzendkosten op de productpagina",
     "Hoe kunnen we de verzendkosten op de productpagina tonen?"),
    ("nl", "insight", "Bied afrekenen als gast aan", "Hoe kunnen we afrekenen als gast aanbieden?"),
    ("nl", "insight", "Laat de totaalprijs eerder zien", "Hoe kunnen we de totaalprijs eerder laten zien?"),
    ("nl", "insight", "Nodig klanten uit voor een interview", "Hoe kunnen we klanten voor een interview uitnodigen?"),
    ("nl", "feels", "overweldigd door de keus",
     "Hoe kunnen we ervoor zorgen dat de eindgebruiker zich minder overweldigd door de keus voelt in de fase Aankoop?"),
    ("nl", "thinks", "De verzendkosten verschijnen pas bij het afrekenen.",
     "Hoe kunnen we het probleem “de verzendkosten verschijnen pas bij het afrekenen” oplossen?"),
    ("nl", "thinks", "Trage levering", "Hoe kunnen we trage levering aanpakken?"),
])
def test_drafts_are_worded_to_fit_the_theme(lang, lane, wording, question):
    pack = load_pack(lang)
    phase = {"en": "Purchase", "nl": "Aankoop"}[lang]
    assert draft_hmw(wording, pack, lane=lane, phase=phase) == question
