"""The workshop's canvas with the themes and the research round: themes with their notes beneath, the
assumptions as a checklist with their state, and verdicts, settled disputes and findings written to the
canvas once the person has their answer. Through the real Bolt app against the stand-in."""
import pytest

from bot.standin.session import open_standin
from tests.test_research import ANA, BRAM, LEAD, PEOPLE, assumption_map, direct_messages
from tests.test_themes import CHLOE, DUTCH_NOTES, ENGLISH_NOTES, run_workshop


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}",
                      people={**PEOPLE, CHLOE: "Chloé"}, canvas_default=True) as local:
        yield local


def markdown(slack) -> str:
    (canvas,) = slack.web_api.canvases()
    return canvas["markdown"]


def edits(slack) -> int:
    return len(slack.web_api.calls_of("canvases.edit"))


def checklist(slack) -> list[str]:
    return [line for line in markdown(slack).splitlines() if line.startswith(("- [ ] ", "- [x] "))]


# -- themes ---------------------------------------------------------------------------------------------

def test_the_canvas_shows_themes_with_their_notes_beneath(slack):
    run_workshop(slack, ENGLISH_NOTES, start="start Ordering online template:understand", phases="Checkout, Delivery")
    slack.command(LEAD, "next")  # the step closes: the canvas catches up
    text = markdown(slack)
    assert ("- **The price shows too late** ×3 — Ana Amsel, Bram Beek, Chloé\n"
            "  - The price shows too late — Ana Amsel\n"
            "  - the price shows up too late\\! — Bram Beek\n") in text
    assert "- **The price is too high** ×2 — Bram Beek, Chloé\n" in text
    # a theme of one note is that note
    assert "\n- Why do I have to create an account to order? — Ana Amsel\n" in text


def test_an_anonymous_canvas_shows_themes_without_names(slack):
    run_workshop(slack, ENGLISH_NOTES, start="start Ordering online template:understand anonymous:on",
                 phases="Checkout, Delivery")
    slack.command(LEAD, "next")
    text = markdown(slack)
    assert "- **The price shows too late** ×3\n  - The price shows too late\n" in text
    assert not any(name in text for name in ("Ana", "Bram", "Chlo", "Lena"))


def test_a_dutch_canvas_shows_themes_and_the_checklist_in_dutch(slack):
    run_workshop(slack, DUTCH_NOTES, start="start Online bestellen template:understand lang:nl",
                 phases="Afrekenen, Bezorging")
    slack.command(LEAD, "next")
    assert "- **De prijs is te hoog** ×2 — Ana Amsel, Chloé\n" in markdown(slack)
    slack.command(LEAD, "research")
    assert "## Aannames die worden getoetst" in markdown(slack)
    assert "- [ ] De prijs is te hoog · _? open_" in checklist(slack)
    slack.give_evidence(ANA, "De prijs is te hoog", "confirmed", {"found": "4 van de 5 vinden hem te hoog",
                                                                  "source": "interview"})
    assert "- [x] De prijs is te hoog · _✓ bevestigd_" in checklist(slack)


# -- the research round -------------------------------------------------------------------------------

def test_a_research_verdict_ticks_the_assumption_on_the_canvas_after_the_answer(slack):
    assumption_map(slack)
    assert not checklist(slack)  # no round yet, no checklist
    slack.command(LEAD, "research")
    assert checklist(slack) == [
        "- [ ] compares three web shops · _? open_", "- [ ] overwhelmed by choice · _? open_",
        "- [ ] the form is too long · _? open_", "- [ ] shipping costs appear at the very end · _? open_",
        "- [ ] delivered the next day · _? open_"]

    written = edits(slack)
    errors, told = slack.give_evidence(ANA, "compares three web shops", "confirmed", {
        "found": "4 of 5 people we interviewed compare at least three shops", "source": "interview"})
    assert errors == {} and "confirmed" in told
    assert edits(slack) == written + 1  # one write for the verdict
    assert "- [x] compares three web shops · _✓ confirmed_" in checklist(slack)
    # the canvas is written after the person was told, never before
    methods = [call["method"] for call in slack.web_api.calls]
    assert max(i for i, method in enumerate(methods) if method == "chat.postEphemeral") \
        < max(i for i, method in enumerate(methods) if method == "canvases.edit")

    slack.give_evidence(BRAM, "overwhelmed by choice", "refuted", {"found": "They filter by price at once",
                                                                   "source": "observation"})
    assert "- [x] overwhelmed by choice · _✗ refuted_" in checklist(slack)


def test_a_dispute_and_its_settling_reach_the_canvas_but_volunteering_does_not(slack):
    assumption_map(slack)
    slack.command(LEAD, "research")
    slack.give_evidence(ANA, "shipping costs appear", "confirmed", {"found": "Tickets about it", "source": "support"})
    slack.give_evidence(BRAM, "shipping costs appear", "refuted", {"found": "People expect them", "source": "survey"})
    assert "- [ ] shipping costs appear at the very end · _⚡ disputed_" in checklist(slack)

    written = edits(slack)
    assert slack.press(BRAM, "the form is too long", "check").startswith("Thanks")
    assert slack.press(ANA, "the form is too long", "unclear").startswith("Noted")
    assert edits(slack) == written  # nothing the canvas shows changed

    assert "✓" in slack.press(LEAD, "shipping costs appear", "confirmed")  # the lead settles it
    assert edits(slack) == written + 1
    assert "- [x] shipping costs appear at the very end · _✓ confirmed_" in checklist(slack)


def test_a_finding_in_a_boards_thread_reaches_the_canvas(slack):
    assumption_map(slack)
    slack.command(LEAD, "research")
    board, _ = slack.board_of("delivered the next day")
    slack.reply(BRAM, "feels: :( the parcel arrived | <!channel> # damaged #support", prompt_ts=board["ts"])
    text = markdown(slack)
    assert ("- :disappointed: the parcel arrived \\| \\@channel \\# damaged — Bram Beek · _Research: support tickets_"
            in text)
    assert "- ? :slightly_smiling_face: delivered the next day — Ana Amsel" in text  # an assumption's state mark


# -- counted texts ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, opened, reminded", [
    ("en", "5 assumptions on 5 board messages", "Reminded 1 volunteer privately about 1 open check."),
    ("nl", "5 aannames op 5 bordberichten", "1 vrijwilliger privé herinnerd aan 1 openstaande check."),
])
def test_the_research_rounds_counts_follow_the_plural_rules(slack, lang, opened, reminded):
    assumption_map(slack, lang=lang)
    assert opened in slack.command(LEAD, "research")
    slack.press(BRAM, "the form is too long", "check")
    assert reminded in slack.command(LEAD, "remind")
    nudge = direct_messages(slack, BRAM)[-1]
    assert ("1 assumption with no evidence" if lang == "en" else "1 aanname uitzoeken") in nudge
