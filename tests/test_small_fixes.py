"""Small things a team noticed (issue 14's follow-ups), through the real Bolt app against the stand-in,
in English and Dutch: the kickoff's list of steps, sorting a reply with a mistyped lane, counted texts."""
import pytest

from bot.standin.session import open_standin
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE, block_text


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        yield local


def kickoff_text(slack) -> str:
    return slack.web_api.message(slack.channel, slack.web_api.messages(slack.channel)[0]["ts"])["text"]


@pytest.mark.parametrize(("lang", "suggested", "after"), [
    ("en", "Awareness → Consideration", "→ Research → Purchase &amp; pay → Opportunities →"),
    ("nl", "Bewustwording → Overweging", "→ Research → Purchase &amp; pay → Kansen →"),
])
def test_the_kickoffs_steps_follow_the_phases_and_keep_the_canvas_link(slack, lang, suggested, after):
    slack.web_api.set_canvas_plan(channel_canvases=False)  # a standalone canvas, linked from the kickoff
    slack.command(LEAD, f"start Ordering online canvas:on lang:{lang}")
    (canvas,) = slack.web_api.canvases()
    link = f"/docs/{slack.web_api.team_id}/{canvas['id']}|"
    assert suggested in kickoff_text(slack) and link in kickoff_text(slack)  # the suggested phases, until settled
    slack.command(LEAD, "next")
    slack.command(LEAD, "phases Research, Purchase &amp; pay")
    assert after in kickoff_text(slack) and suggested not in kickoff_text(slack)
    assert link in kickoff_text(slack)
    slack.command(LEAD, "phases Research")
    assert "→ Research → " in kickoff_text(slack) and "Purchase" not in kickoff_text(slack)


def go_to_first_phase(slack, lang: str) -> None:
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    slack.command(LEAD, "next")
    slack.command(LEAD, "next")


def sort_last_question(slack, user: str, lane: str) -> str:
    """``user`` picks ``lane`` in the bot's last private question; returns what the bot answered."""
    question = slack.web_api.ephemerals(user)[-1]
    slack.people.click(user, message_ts=question["ts"], action_id=f"set_lane:{lane}")
    return slack.web_api.ephemerals(user)[-1]["text"]


@pytest.mark.parametrize(("lang", "typo", "kept", "filed", "summary"), [
    ("en", "dose: compares prices", "note: reads reviews", "Filed under *Does*: “compares prices”", "Journey summary"),
    ("nl", "deot: vergelijkt prijzen", "noot: leest reviews", "Geplaatst onder *Doet*: “vergelijkt prijzen”",
     "Samenvatting van de reis"),
])
def test_sorting_a_reply_with_a_mistyped_lane_drops_only_that_prefix(slack, lang, typo, kept, filed, summary):
    go_to_first_phase(slack, lang)
    slack.reply(ANA, typo)
    assert sort_last_question(slack, ANA, "does") == filed
    slack.reply(ANA, kept)  # a word that is no lane's: it stays
    assert sort_last_question(slack, ANA, "does").endswith(f"“{kept}”")
    slack.reply(ANA, "fels: overwhelmed by choice")  # sorted at home, with its feeling
    slack.people.open_home(ANA)
    home = slack.web_api.home(ANA)
    menu = next(block["accessory"] for block in home["blocks"] if block.get("accessory", {}).get("type") == "static_select")
    slack.people.click_in_view(ANA, home["id"], menu["action_id"], value="feels:-1")
    slack.command(LEAD, "summary")
    text = block_text([m for m in slack.web_api.messages(slack.channel) if m["text"].startswith(summary)][-1])
    assert f"• {typo.split(': ', 1)[1]} — _Ana_" in text and typo not in text
    assert f"• {kept} — _Ana_" in text
    assert "• :disappointed: overwhelmed by choice — _Ana_" in text


@pytest.mark.parametrize(("lang", "summary", "share", "home"), [
    ("en", "Journey summary", "0 of 1 assumption checked (0%): 0 confirmed, 0 refuted, 0 disputed, 1 open.",
     "Research in *Ordering online*: 0 of 1 assumption checked"),
    ("nl", "Samenvatting van de reis", "0 van 1 aanname getoetst (0%): 0 bevestigd, 0 weerlegd, 0 betwist, 1 open.",
     "Onderzoek in *Ordering online*: 0 van 1 aanname getoetst"),
])
def test_one_assumption_in_a_research_round_reads_as_one(slack, lang, summary, share, home):
    go_to_first_phase(slack, lang)
    slack.reply(ANA, "does: compares three web shops")
    slack.command(LEAD, "research")
    slack.command(LEAD, "summary")
    assert share in block_text([m for m in slack.web_api.messages(slack.channel) if m["text"].startswith(summary)][-1])
    slack.people.open_home(ANA)
    assert home in block_text(slack.web_api.home(ANA))


@pytest.mark.parametrize(("lang", "added"), [
    ("en", "Added 2 questions to the vote. They now count as the team's own."),
    ("nl", "2 vragen op de stemming gezet. Ze tellen nu als vragen van het team."),
])
def test_adding_drafts_to_the_vote_counts_them_in_words(slack, lang, added):
    go_to_first_phase(slack, lang)
    slack.reply(ANA, "feels: :( overwhelmed by choice")
    slack.reply(BRAM, "insight: show shipping costs on the product page")
    slack.command(LEAD, "summary")
    message = [m for m in slack.web_api.messages(slack.channel)
               if any(block.get("block_id") == "themes" for block in m.get("blocks") or [])][-1]
    slack.people.click(LEAD, channel=slack.channel, message_ts=message["ts"], action_id="hmw_drafts")
    modal = slack.web_api.open_views(LEAD)[-1]
    options = next(block for block in modal["blocks"] if block.get("block_id") == "drafts")["element"]["options"]
    assert len(options) == 2
    assert slack.people.submit(LEAD, modal["id"], {"drafts": [option["value"] for option in options]}) == {}
    assert added in block_text(slack.web_api.open_views(LEAD)[-1])
