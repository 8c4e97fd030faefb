"""The pictures that come with the summary in Slack: the journey map (themes and the full map when
it outgrows the preview) and the storyboard when it has answers, in English and Dutch."""
import io

import pytest
from PIL import Image

from bot.standin.session import open_standin
from storage import repository as repo
from storage.db import unit_of_work

LEAD, ANA = "U0LEAD", "U0ANA"


@pytest.fixture
def open_workshop(tmp_path):
    def start(command: str):
        local = open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}",
                             people={LEAD: "Lena", ANA: "Ana"})
        slack = local.__enter__()
        slack.command(LEAD, command)
        opened.append(local)
        return slack

    opened = []
    yield start
    for local in opened:
        local.__exit__(None, None, None)


def uploads(slack) -> list[dict]:
    """Every upload post in the channel, with its comment and file."""
    return [message for message in slack.web_api.messages(slack.channel) if message.get("files")]


def image_of(slack, file) -> Image.Image:
    content = next(f["content"] for f in slack.web_api.files() if f["id"] == file["id"])
    return Image.open(io.BytesIO(content))


def seed_notes(slack, count: int, text: str) -> None:
    """``count`` notes in the first phase's Does lane, stored as thread replies would be."""
    with unit_of_work(slack.engine) as session:
        workshop = repo.active_workshop(session, team_id=slack.web_api.team_id, channel_id=slack.channel)
        for number in range(count):
            repo.add_item(session, workshop_id=workshop.id, step_key="journey:1", phase=workshop.phases[0],
                          lane="does", text=f"{number}: {text}", author_id=ANA, source="thread",
                          dedupe_key=f"seed:{number}")


@pytest.mark.parametrize("lang, grouped, full", [
    ("en", "groups the notes into themes", "the full map with every note is attached as a second, larger picture"),
    ("nl", "bundelt de notities tot thema's", "de volledige kaart met elke notitie staat erbij als tweede"),
])
def test_a_map_too_big_for_slacks_preview_shows_themes_and_attaches_every_note(open_workshop, lang, grouped, full):
    slack = open_workshop(f"start Ordering online template:understand lang:{lang}")
    slack.command(LEAD, "phases Research, Purchase, Use")
    seed_notes(slack, 120, "compares the shipping costs of three shops before ordering anything at all")
    slack.command(LEAD, "summary")
    themed, every_note = uploads(slack)
    assert grouped in themed["text"] and full in themed["text"]
    assert every_note["files"][0]["name"] == "journey-map-full-ordering-online.png"
    inline, larger = image_of(slack, themed["files"][0]), image_of(slack, every_note["files"][0])
    assert inline.height <= 2400 < larger.height


def test_a_small_map_comes_alone_without_a_word_about_themes(open_workshop):
    slack = open_workshop("start Ordering online template:understand")
    slack.command(LEAD, "phases Research, Purchase, Use")
    seed_notes(slack, 5, "compares prices")
    slack.command(LEAD, "summary")
    (only,) = uploads(slack)
    assert only["text"] == "" and only["files"][0]["name"] == "journey-map-ordering-online.png"


def test_a_long_note_shortened_in_the_picture_is_pointed_to_in_the_summary(open_workshop):
    slack = open_workshop("start Ordering online template:understand lang:nl")
    slack.command(LEAD, "phases Oriëntatie, Aankoop")
    seed_notes(slack, 1, "lang verhaal " * 200)
    slack.command(LEAD, "summary")
    (only,) = uploads(slack)
    assert "Notities langer dan 400 tekens zijn in de afbeelding ingekort" in only["text"]


def test_the_storyboard_comes_with_the_summary_once_it_has_answers(open_workshop):
    slack = open_workshop("start Bakery orders template:storyboard")
    slack.command(LEAD, "summary")
    assert uploads(slack) == []  # no storyboard yet, and a storyboard-only workshop has no journey map
    slack.reply(ANA, ":bread: Sam loses orders while her hands are in the dough")
    slack.command(LEAD, "summary")
    names = [message["files"][0]["name"] for message in uploads(slack)]
    assert names == ["storyboard-bakery-orders.png"]
    assert image_of(slack, uploads(slack)[-1]["files"][0]).width == 1600


def storyboard_drawn(slack, monkeypatch) -> list[str]:
    """The lines the workshop's storyboard picture draws."""
    from bot.usecases.reporting import channel_workshop, workshop_summary
    from bot.wiring.context import AppContext
    from renderers.pictures import storyboard_png
    from tests.factories import drawn_texts

    ctx = AppContext(slack.engine, slack.settings)
    workshop = channel_workshop(ctx, team_id=slack.web_api.team_id, channel_id=slack.channel, active_only=False)
    return drawn_texts(monkeypatch, storyboard_png, workshop_summary(slack.app.client, ctx, workshop)).split("\n")


def answer_modal_of(slack) -> dict:
    """The modal Ana sees when she presses Answer on the open prompt."""
    slack.people.click(ANA, channel=slack.channel, message_ts=slack.open_prompt()["ts"], action_id="answer")
    return slack.web_api.open_views(ANA)[-1]


@pytest.mark.parametrize("lang, label", [("en", "Pictogram for this scene (optional)"),
                                         ("nl", "Pictogram voor deze scène (optioneel)")])
def test_a_pictogram_picked_in_the_answer_modal_is_the_scenes_picture(open_workshop, monkeypatch, lang, label):
    slack = open_workshop(f"start Bakery orders template:storyboard lang:{lang}")
    modal = answer_modal_of(slack)
    assert label in [block["label"]["text"] for block in modal["blocks"] if block["type"] == "input"]
    assert slack.people.submit(ANA, modal["id"], {"text": "Sam loses orders while she bakes", "pictogram": "bread"}) == {}
    drawn = storyboard_drawn(slack, monkeypatch)
    assert "🍞" in drawn and "Sam loses orders while she bakes" in drawn and ":bread:" not in "\n".join(drawn)


def test_an_emoji_written_in_a_reply_is_the_scenes_picture(open_workshop, monkeypatch):
    slack = open_workshop("start Bakery orders template:storyboard")
    slack.reply(ANA, ":rocket: Sam puts her shop online")
    drawn = storyboard_drawn(slack, monkeypatch)
    assert "🚀" in drawn and "Sam puts her shop online" in drawn


def test_the_answer_modal_offers_pictograms_only_for_storyboard_scenes(open_workshop):
    slack = open_workshop("start Ordering online template:understand")
    assert "pictogram" not in [block.get("block_id") for block in answer_modal_of(slack)["blocks"]]
