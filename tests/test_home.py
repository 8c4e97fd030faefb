"""The Home tab, through the real Bolt app: what waits for a person's answer, their workshops,
answering and reading summaries from there, and nothing from other channels or workspaces."""
import pytest

from bot.standin.session import open_standin
from flows.home import HomeView, HomeWorkshop, UnsortedAnswer
from flows.texts import load_pack
from renderers.slack import MAX_VIEW_BLOCKS, home_view
from storage import repository as repo
from storage.db import unit_of_work
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE, block_text

OTHER_CHANNEL = "C0OTHER"


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        local.web_api.add_channel(OTHER_CHANNEL, "leads-only", [LEAD, BRAM])
        yield local


def home_of(slack, user):
    slack.people.open_home(user)
    return slack.web_api.home(user)


def home_text(view):
    return block_text(view)


def buttons(view):
    return {block["accessory"]["action_id"]: block["accessory"] for block in view["blocks"] if "accessory" in block}


def click_home(slack, user, action_id, value=None):
    slack.people.click_in_view(user, slack.web_api.home(user)["id"], action_id, value=value)


def summary_lines(slack, title="Journey summary"):
    slack.command(LEAD, "summary")
    return block_text([m for m in slack.web_api.messages(slack.channel) if m["text"].startswith(title)][-1])


def test_home_shows_what_waits_for_an_answer_and_answering_there_files_it(slack):
    slack.command(LEAD, "start Ordering online template:understand")
    slack.people.slash(LEAD, "start Leads only", channel=OTHER_CHANNEL)
    slack.reply(BRAM, "A freelance designer")

    home = home_of(slack, ANA)
    text = home_text(home)
    assert "*Ordering online* in <#C0WORKSHOP>\nStep 1 of 10: *The end user and their problem*" in text
    assert "Step 1 of 10: The end user and their problem · your answers: 0" in text
    assert "Leads only" not in text  # Ana is not in that channel
    answer = buttons(home)
    assert [button["text"]["text"] for button in answer.values()] == ["Answer"]

    (action_id,) = answer
    click_home(slack, ANA, action_id)
    modal = slack.web_api.open_views(ANA)[-1]
    assert modal["callback_id"] == "answer" and "The end user and their problem" in block_text(modal)
    assert slack.people.submit(ANA, modal["id"], {"text": "A retired teacher"}) == {}

    refreshed = home_text(slack.web_api.home(ANA))
    assert "Nothing is waiting for your answer." in refreshed and "your answers: 1" in refreshed
    assert "A retired teacher — _Ana_" in summary_lines(slack)
    assert "Leads only" in home_text(home_of(slack, BRAM)) and "your answers: 1" in home_text(home_of(slack, BRAM))


def test_a_stale_answer_button_says_the_step_moved_on_and_redraws_the_tab(slack):
    slack.command(LEAD, "start Ordering online")
    (action_id,) = buttons(home_of(slack, ANA))
    slack.command(LEAD, "next")
    click_home(slack, ANA, action_id)
    assert "no longer open for answers" in block_text(slack.web_api.open_views(ANA)[-1])
    assert "Step 2 of 15: *The phases of the journey*" in home_text(slack.web_api.home(ANA))


def test_forged_home_buttons_cannot_reach_another_channel_or_workspace(slack):
    slack.command(LEAD, "start Ordering online")
    slack.people.slash(LEAD, "start Leads only", channel=OTHER_CHANNEL)
    with unit_of_work(slack.engine) as session:
        elsewhere = repo.create_workshop(session, team_id="T0ELSEWHERE", channel_id=slack.channel, title="Elsewhere",
                                         kind="customer", template="full", lang="en", lead_id=LEAD, phases=["A"],
                                         first_step="end_user")
        leads_only = repo.active_workshop(session, team_id=slack.web_api.team_id, channel_id=OTHER_CHANNEL).id
    home = home_of(slack, ANA)
    assert "Elsewhere" not in home_text(home) and "Leads only" not in home_text(home)
    (action_id,) = buttons(home)

    click_home(slack, ANA, action_id, value=f"{leads_only}:end_user")
    assert "another channel or workspace" in block_text(slack.web_api.open_views(ANA)[-1])
    assert len(slack.web_api.open_views(ANA)) == 1  # no answer modal
    slack.people.close_view(ANA, slack.web_api.open_views(ANA)[-1]["id"])
    click_home(slack, ANA, action_id, value=f"{elsewhere.id}:end_user")
    assert "another channel or workspace" in block_text(slack.web_api.open_views(ANA)[-1])


def test_a_past_workshop_shows_its_summary_privately(slack):
    slack.command(LEAD, "start Ordering online")
    slack.reply(ANA, "A small bakery owner")
    slack.command(LEAD, "close")
    channel_messages = len(slack.web_api.messages(slack.channel))

    home = home_of(slack, ANA)
    assert "*Ordering online* in <#C0WORKSHOP> · closed · your answers: 1" in home_text(home)
    assert "Nothing is waiting" not in home_text(home)
    (action_id,) = buttons(home)
    assert buttons(home)[action_id]["text"]["text"] == "See summary"
    click_home(slack, ANA, action_id)
    modal = slack.web_api.open_views(ANA)[-1]
    assert modal["title"]["text"] == "Journey summary"
    assert "A small bakery owner — _Ana_" in block_text(modal) and "Workshop closed." in block_text(modal)
    assert len(slack.web_api.messages(slack.channel)) == channel_messages


def test_someone_without_workshops_is_told_how_to_start_one_in_the_default_language(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'nl.sqlite3'}", people=PEOPLE, lang="nl") as slack:
        assert "Begin er een in een kanaal met `/journey start &lt;titel&gt;`" in home_text(home_of(slack, ANA))


def test_the_home_tab_keeps_within_slacks_100_blocks_and_says_how_many_more():
    many = tuple(HomeWorkshop(workshop_id=n, title=f"Workshop {n}", channel_id=f"C{n}", step_key="end_user",
                              step="The end user", number=1, count=10, answers=0, waiting=True) for n in range(200))
    unsorted = tuple(UnsortedAnswer(item_id=n, text=f"note {n}", title="Workshop", step="Phase 1", author="Ana",
                                    choices=(("does", "Does"),), own=True) for n in range(200))
    view = home_view(load_pack("en"), HomeView(active=many, past=many, unsorted=unsorted))
    assert len(view["blocks"]) <= MAX_VIEW_BLOCKS
    assert block_text(view).count("… and 180 more.") == 4
