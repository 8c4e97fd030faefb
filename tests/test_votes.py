"""Dot voting on "How might we" questions, through the real Bolt app: one vote message whose counts
change in place, a few votes per person that they can take back, and a ranking in the summary."""
import re

import pytest

from bot.standin.session import open_standin
from flows.texts import load_pack
from renderers.slack import MAX_MESSAGE_BLOCKS, Question, vote_board
from tests.test_workshop import block_text, posted_summary, section

LEAD, ANA, BRAM, CHLOE = "U0LEAD", "U0ANA", "U0BRAM", "U0CHLOE"
PEOPLE = {LEAD: "Lena Lead", ANA: "Ana", BRAM: "Bram", CHLOE: "Chloé"}
OTHER_CHANNEL = "C0OTHER"
QUESTIONS = ["How might we show the full price before checkout?",
             "How might we remember the address?",
             "How might we explain delivery times?"]


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        yield local


@pytest.fixture
def questions(slack):
    """A workshop at its "How might we" step with three questions: two replies and one added by command."""
    slack.command(LEAD, "start Ordering online template:understand")
    while "How might we" not in block_text(slack.open_prompt()).split("\n")[1]:
        slack.command(LEAD, "next")
    slack.reply(ANA, QUESTIONS[0])
    slack.reply(BRAM, QUESTIONS[1])
    assert "Added" in slack.command(CHLOE, f"hmw add {QUESTIONS[2]}")
    return slack


def board(slack) -> dict:
    boards = [m for m in slack.web_api.messages(slack.channel) if any(
        element.get("action_id", "").startswith("hmw_vote:") for block in m.get("blocks") or []
        for element in [block.get("accessory") or {}])]
    assert boards, "no vote message in the channel"
    return boards[-1]


def counts(message: dict) -> dict[str, int]:
    """Question → votes, as the vote message shows them."""
    shown = {}
    for block in message["blocks"]:
        if block.get("accessory", {}).get("action_id", "").startswith("hmw_vote:"):
            count, question = re.match(r"\*(\d+)\* :ballot_box_with_ballot:\s+(.*)", block["text"]["text"]).groups()
            shown[question] = int(count)
    return shown


def vote(slack, user: str, question: str, *, value: str | None = None, channel: str | None = None) -> str:
    """``user`` presses Vote beside ``question``; returns what the bot told them privately."""
    message = board(slack) if channel is None else _board_in(slack, channel)
    action_id = next(block["accessory"]["action_id"] for block in message["blocks"]
                     if question in block.get("text", {}).get("text", "") and block.get("accessory"))
    before = len(slack.web_api.ephemerals(user))
    slack.people.click(user, channel=channel or slack.channel, message_ts=message["ts"], action_id=action_id,
                       value=value)
    return "\n".join(e["text"] for e in slack.web_api.ephemerals(user)[before:])


def _board_in(slack, channel):
    return next(m for m in reversed(slack.web_api.messages(channel)) if "Vote:" in m["text"])


def test_votes_change_the_counts_in_place_and_the_summary_ranks_by_votes(questions):
    slack = questions
    assert "3 questions, 3 votes each" in slack.command(LEAD, "hmw")
    posted = board(slack)
    assert counts(posted) == dict.fromkeys(QUESTIONS, 0)
    assert "Everyone has 3 votes" in block_text(posted)
    messages = len(slack.web_api.messages(slack.channel))

    assert "Votes left: 2 of 3" in vote(slack, ANA, QUESTIONS[1])
    vote(slack, BRAM, QUESTIONS[1])
    vote(slack, CHLOE, QUESTIONS[2])
    assert board(slack)["ts"] == posted["ts"] and len(slack.web_api.messages(slack.channel)) == messages
    assert counts(board(slack)) == {QUESTIONS[0]: 0, QUESTIONS[1]: 2, QUESTIONS[2]: 1}

    slack.command(LEAD, "summary")
    hmw = section(posted_summary(slack), "How might we …").splitlines()
    assert hmw[0].startswith(f"• {QUESTIONS[1]} *2 votes*")
    assert hmw[1].startswith(f"• {QUESTIONS[2]} *1 vote*")


def test_each_person_has_a_few_votes_and_takes_one_back_by_pressing_again(questions):
    slack = questions
    slack.command(LEAD, "hmw")
    for question in QUESTIONS:
        vote(slack, ANA, question)
    assert counts(board(slack)) == dict.fromkeys(QUESTIONS, 1)

    slack.command(LEAD, "hmw add How might we make returns easy?")
    refused = vote(slack, ANA, "returns easy")
    assert "used all your votes (3)" in refused
    assert counts(board(slack))["How might we make returns easy?"] == 0

    took_back = vote(slack, ANA, QUESTIONS[0])
    assert "took back your vote" in took_back and "Votes left: 1 of 3" in took_back
    assert "Votes left: 0 of 3" in vote(slack, ANA, "returns easy")
    assert counts(board(slack)) == {QUESTIONS[0]: 0, QUESTIONS[1]: 1, QUESTIONS[2]: 1,
                                    "How might we make returns easy?": 1}


def test_the_number_of_votes_is_set_at_the_start(slack):
    slack.command(LEAD, "start Ordering online votes:1")
    slack.command(ANA, "hmw add How might we help?")
    slack.command(ANA, "hmw add How might we listen?")
    slack.command(LEAD, "hmw")
    assert "Everyone has 1 vote" in block_text(board(slack))
    vote(slack, BRAM, "help?")
    assert "used all your votes (1)" in vote(slack, BRAM, "listen?")


def test_questions_added_later_join_the_vote_message_and_a_new_vote_message_retires_the_old(questions):
    slack = questions
    slack.command(LEAD, "hmw")
    first = board(slack)
    messages = len(slack.web_api.messages(slack.channel))
    slack.command(BRAM, "hmw add How might we <!channel> ping nobody &amp; keep &lt;tags&gt;?")  # as Slack encodes it
    assert len(slack.web_api.messages(slack.channel)) == messages
    assert "How might we @channel ping nobody &amp; keep &lt;tags&gt;?" in counts(board(slack))
    assert board(slack)["ts"] == first["ts"]

    slack.command(LEAD, "hmw")
    assert board(slack)["ts"] != first["ts"]
    retired = slack.web_api.message(slack.channel, first["ts"])
    assert "moved to a newer message" in retired["text"] and "hmw_vote" not in str(retired["blocks"])


def test_without_questions_the_lead_is_told_how_to_add_one(slack):
    slack.command(LEAD, "start Ordering online")
    assert "no “How might we” questions yet" in slack.command(LEAD, "hmw")
    assert "Write the question after `add`" in slack.command(ANA, "hmw add")
    assert "Only the workshop's lead" in slack.command(ANA, "hmw")
    assert len(slack.web_api.messages(slack.channel)) == 2  # the kickoff and the first prompt


def test_a_forged_vote_for_another_workshops_question_does_nothing(questions):
    slack = questions
    slack.web_api.add_channel(OTHER_CHANNEL, "other-workshop", list(PEOPLE))
    slack.people.slash(LEAD, "start Another workshop", channel=OTHER_CHANNEL)
    slack.people.slash(ANA, "hmw add How might we elsewhere?", channel=OTHER_CHANNEL)
    slack.people.slash(LEAD, "hmw", channel=OTHER_CHANNEL)
    other_value = next(b["accessory"]["value"] for b in _board_in(slack, OTHER_CHANNEL)["blocks"] if b.get("accessory"))
    other_workshop, other_item = other_value.split(":")
    slack.command(LEAD, "hmw")
    own_workshop = next(b["accessory"]["value"] for b in board(slack)["blocks"] if b.get("accessory")).split(":")[0]

    for forged in (other_value, f"{own_workshop}:{other_item}", f"{own_workshop}:999", "nonsense"):
        assert "not yours" in vote(slack, BRAM, QUESTIONS[0], value=forged)
    assert counts(board(slack)) == dict.fromkeys(QUESTIONS, 0)
    assert counts(_board_in(slack, OTHER_CHANNEL)) == {"How might we elsewhere?": 0}


def test_votes_end_with_the_workshop(questions):
    slack = questions
    slack.command(LEAD, "hmw")
    slack.command(LEAD, "close")
    assert "vote is over" in vote(slack, ANA, QUESTIONS[0])
    assert counts(board(slack)) == dict.fromkeys(QUESTIONS, 0)


def test_a_vote_message_with_many_questions_stays_within_slacks_block_limit():
    many = [Question(item_id, f"How might we try idea {item_id}?", 0) for item_id in range(1, 61)]
    message = vote_board(load_pack("en"), workshop_id=1, questions=many, dot_votes=3)
    assert len(message.blocks) == MAX_MESSAGE_BLOCKS
    assert "+13 more questions" in block_text({"blocks": message.blocks})
