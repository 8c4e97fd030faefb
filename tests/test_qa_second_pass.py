"""What a second quality pass found, through the real Bolt app against the stand-in, in English and Dutch."""
import csv
import io
import json

import pytest

from bot.standin.session import open_standin
from tests.test_first_week import exported
from tests.test_research import assumption_map
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE, block_text


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        yield local


# Slack sends `&`, `<` and `>` encoded in a command's text.
TYPED_TITLE, SENT_TITLE = "Ordering <b>online</b> & *more*", "Ordering &lt;b&gt;online&lt;/b&gt; &amp; *more*"


@pytest.mark.parametrize(("lang", "header"), [("en", "Journey summary"), ("nl", "Samenvatting van de reis")])
def test_each_export_escapes_typed_text_for_its_own_format_only(slack, lang, header):
    slack.command(LEAD, f"start {SENT_TITLE} lang:{lang}")
    slack.command(LEAD, "next")
    slack.command(LEAD, "phases Research, Purchase &amp; pay, Use")
    slack.command(LEAD, "next")
    slack.command(LEAD, "next")
    slack.reply(LEAD, "does: pays &lt;now&gt; &amp; later")

    markdown = exported(slack, "md")
    assert f"# {header}: Ordering \\<b\\>online\\</b\\> \\& \\*more\\*" in markdown
    assert "### 2. Purchase \\& pay" in markdown and "pays \\<now\\> \\& later" in markdown
    assert "&amp;" not in markdown and "&lt;" not in markdown
    page = exported(slack, "html")
    assert "Ordering &lt;b&gt;online&lt;/b&gt; &amp; *more*" in page and "&amp;amp;" not in page
    assert "Purchase &amp; pay" in page
    data = json.loads(exported(slack, "json"))
    assert data["workshop"]["title"] == TYPED_TITLE and data["phases"][1]["name"] == "Purchase & pay"
    assert data["phases"][1]["lanes"]["does"][0]["text"] == "pays <now> & later"
    row, = csv.DictReader(io.StringIO(exported(slack, "csv")))
    assert (row["phase"], row["text"]) == ("Purchase & pay", "pays <now> & later")


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("sent", [SENT_TITLE, TYPED_TITLE], ids=["as-slack-encodes-it", "unencoded"])
def test_a_title_keeps_the_angle_brackets_the_person_typed(slack, lang, sent):
    slack.command(LEAD, f"start {sent} lang:{lang}")
    kickoff = slack.web_api.messages(slack.channel)[0]
    assert "Ordering &lt;b&gt;online&lt;/b&gt; &amp; *more*" in kickoff["text"]
    assert json.loads(exported(slack, "json"))["workshop"]["title"] == TYPED_TITLE
    slack.reply(LEAD, "see <https://example.com|the shop>")  # Slack's own tokens still read as text
    assert "see the shop (https://example.com)" in exported(slack, "csv")


@pytest.mark.parametrize(("lang", "phase_two", "summary"), [
    ("en", "Phase 2 of 3: Purchase &amp; pay: ", "Journey summary: "),
    ("nl", "Fase 2 van 3: Purchase &amp; pay: ", "Samenvatting van de reis: "),
])
def test_notification_texts_escape_what_people_typed(slack, lang, phase_two, summary):
    slack.command(LEAD, f"start {SENT_TITLE} lang:{lang}")
    slack.command(LEAD, "next")
    slack.command(LEAD, "phases Research, Purchase &amp; pay, Use")
    slack.command(LEAD, "next")
    slack.command(LEAD, "next")
    prompt = slack.open_prompt()
    assert prompt["text"].startswith(phase_two)
    assert "Purchase & pay" in next(b["text"]["text"] for b in prompt["blocks"] if b["type"] == "header")  # plain text
    slack.command(LEAD, "summary")
    posted = [m["text"] for m in slack.web_api.messages(slack.channel) if m["text"].startswith(summary)]
    assert posted == [summary + "Ordering &lt;b&gt;online&lt;/b&gt; &amp; *more*"]


@pytest.mark.parametrize(("lang", "summary"), [("en", "Journey summary"), ("nl", "Samenvatting van de reis")])
def test_a_person_mentioned_in_an_answer_shows_by_name_and_is_not_pinged(slack, lang, summary):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    reply = slack.reply(ANA, "a buyer like <@U0LEAD> who asks <@U0BRAM>")  # Slack sends a mention as a bare ID
    slack.people.edit(ANA, slack.channel, reply["ts"], "a buyer like <@U0LEAD>, who asks <@U0BRAM>")
    slack.command(LEAD, "summary")
    posted = next(m for m in slack.web_api.messages(slack.channel) if m["text"].startswith(summary))
    assert "a buyer like @Lena Lead, who asks @Bram" in block_text(posted)
    assert "U0LEAD" not in json.dumps(posted["blocks"]) and "<@" not in json.dumps(posted["blocks"])
    assert "- a buyer like @Lena Lead, who asks @Bram — Ana" in exported(slack, "md")
    assert json.loads(exported(slack, "json"))["end_user"][0]["text"] == "a buyer like @Lena Lead, who asks @Bram"


@pytest.mark.parametrize(("lang", "average", "feeling"), [("en", "+0.50", "Average feeling"),
                                                            ("nl", "+0,50", "Gemiddeld gevoel")])
def test_average_feelings_are_written_in_the_workshops_language(slack, lang, average, feeling):
    slack.command(LEAD, f"start Ordering online lang:{lang} canvas:on")
    slack.command(LEAD, "next")
    slack.command(LEAD, "next")
    slack.reply(ANA, "feels: :) relieved")
    slack.reply(LEAD, "feels: :| fine")
    slack.command(LEAD, "summary")
    assert f"{feeling}: :slightly_smiling_face: {average} (" in posted_summary_text(slack)
    assert f"**{average}**" in exported(slack, "md")
    assert f"🙂 {average}</span>" in exported(slack, "html")
    (canvas,) = slack.web_api.canvases()
    assert f"| {average} |" in canvas["markdown"]


def posted_summary_text(slack) -> str:
    headers = ("Journey summary", "Samenvatting van de reis")
    return block_text([m for m in slack.web_api.messages(slack.channel) if m["text"].startswith(headers)][-1])


@pytest.mark.parametrize(("lang", "refused"), [
    ("en", "This workshop has no storyboard steps, so there is no storyboard picture to make. "
           "`/journey export png` makes its journey map."),
    ("nl", "Deze workshop heeft geen storyboardstappen, dus er is geen storyboardafbeelding te maken. "
           "`/journey export png` maakt de journey map."),
])
def test_a_storyboard_of_a_workshop_without_storyboard_steps_is_refused_not_posted_empty(slack, lang, refused):
    slack.command(LEAD, f"start Ordering online template:understand lang:{lang}")
    assert slack.command(LEAD, "export storyboard") == refused
    assert slack.web_api.files() == []
    slack.command(LEAD, "export png")
    assert len(slack.web_api.files()) == 1
    slack.command(LEAD, "close")
    slack.command(LEAD, f"start Ordering again lang:{lang}")  # the standard template has the storyboard steps
    assert "`storyboard`" in slack.command(LEAD, "export storyboard")
    assert slack.web_api.files()[-1]["content"].startswith(b"\x89PNG")


@pytest.mark.parametrize(("lang", "refused"), [
    ("en", "`pdf` is not a format I make; choose: `md`, `html`, `json`, `csv`, `png`, `storyboard`. "
           "For example `/journey export csv`."),
    ("nl", "`pdf` is geen formaat dat ik maak; kies: `md`, `html`, `json`, `csv`, `png`, `storyboard`. "
           "Bijvoorbeeld `/journey export csv`."),
])
def test_an_export_format_the_bot_does_not_make_is_named_in_the_refusal(slack, lang, refused):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    assert slack.command(LEAD, "export pdf") == refused
    assert slack.command(LEAD, "export &lt;b&gt;").startswith("`&lt;b&gt;` ")
    assert slack.command(LEAD, "export").startswith(("Say which file you want", "Zeg welk bestand je wilt"))
    assert slack.web_api.files() == []


OTHER_CHANNEL = "C0OTHER"


@pytest.mark.parametrize(("default", "heading"), [("en", "Your journey workshops"), ("nl", "Jouw journey-workshops")])
def test_the_home_tab_shows_each_workshop_in_its_own_language_under_the_workspaces_headings(tmp_path, default, heading):
    database_url = f"sqlite:///{tmp_path / 'journeybot.sqlite3'}"
    with open_standin(database_url=database_url, people=PEOPLE, lang=default) as slack:
        slack.web_api.add_channel(OTHER_CHANNEL, "second", [LEAD, BRAM])
        slack.command(LEAD, "start Online bestellen lang:nl")
        slack.people.slash(LEAD, "start Ordering online lang:en", channel=OTHER_CHANNEL)
        slack.people.open_home(BRAM)
        home = slack.web_api.home(BRAM)
    text = block_text(home)
    assert text.startswith(heading)
    assert "*Online bestellen* in <#C0WORKSHOP>\nStap 1 van 15: *De eindgebruiker en het probleem*" in text
    assert "*Ordering online* in <#C0OTHER>\nStep 1 of 15: *The end user and their problem*" in text
    assert "De eindgebruiker en het probleem · jouw antwoorden: 0" in text
    assert "The end user and their problem · your answers: 0" in text
    labels = [block["accessory"]["text"]["text"] for block in home["blocks"] if "accessory" in block]
    assert labels == ["Antwoorden", "Answer"] or labels == ["Answer", "Antwoorden"]


def test_a_dutch_research_round_shows_in_dutch_on_an_english_home_tab(slack):
    assumption_map(slack, lang="nl")
    slack.command(LEAD, "research")
    slack.people.open_home(ANA)
    text = block_text(slack.web_api.home(ANA))
    assert text.startswith("Your journey workshops")
    assert "Onderzoek in *Ordering online*: 0 van de 5 aannames getoetst" in text
    assert "*Aannames die jij uitzoekt*" in text and "Assumptions you will check" not in text
