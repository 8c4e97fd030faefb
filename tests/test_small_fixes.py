"""Small things a team noticed (issue 14's follow-ups), through the real Bolt app against the stand-in,
in English and Dutch: the kickoff's list of steps, sorting a reply with a mistyped lane, counted texts."""
import pytest

from bot.standin.session import open_standin
from tests.test_workshop import ANA, LEAD, PEOPLE


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
