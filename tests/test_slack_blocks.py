"""The summary and prompts as Slack shows them: inside Slack's limits, and no pings through the bot."""
import re

from flows.catalog import load_catalog
from flows.engine import build_plan
from flows.prompts import step_prompt
from flows.texts import load_pack
from renderers.mrkdwn import escape
from renderers.slack import (
    MAX_HEADER_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    answer_modal,
    summary_message,
)
from tests.factories import (
    make_item,
    make_workshop,
    many_items,
    sample_items,
    summary_of,
)

MENTION = re.compile(r"<[@!#][^>]*>")


def _text_objects(blocks):
    for block in blocks:
        objects = [block.get("text")] + block.get("elements", [])
        for obj in objects:
            if isinstance(obj, dict) and isinstance(obj.get("text"), str):
                yield block["type"], obj


def _texts(blocks):
    for block_type, obj in _text_objects(blocks):
        yield block_type, obj["text"]


def _mrkdwn(blocks):
    """Only mrkdwn is read for mentions and links; plain_text is shown as typed."""
    return "\n".join(obj["text"] for _, obj in _text_objects(blocks) if obj["type"] == "mrkdwn")


def test_every_summary_stays_inside_slacks_limits(any_view):
    message = summary_message(any_view)
    assert len(message.blocks) <= MAX_MESSAGE_BLOCKS
    for block_type, text in _texts(message.blocks):
        assert len(text) <= (MAX_HEADER_TEXT if block_type == "header" else MAX_SECTION_TEXT)


def test_a_huge_workshop_shows_what_fits_and_says_how_much_more_there_is():
    workshop = make_workshop(phases=[f"Phase {n}" for n in range(1, 13)])
    message = summary_message(summary_of(workshop, many_items(10_000, workshop)))
    assert message.truncated
    assert len(message.blocks) <= MAX_MESSAGE_BLOCKS
    shown = "\n".join(text for _, text in _texts(message.blocks))
    assert re.search(r"\+\d+ more", shown)
    assert "The full summary is attached as a file." in shown


def test_a_small_workshop_shows_every_answer_in_its_place():
    workshop = make_workshop()
    view = summary_of(workshop, sample_items(workshop))
    message = summary_message(view)
    assert not message.truncated
    text = "\n".join(text for _, text in _texts(message.blocks))
    for item in view.all_items():
        assert escape(item.text) in text
    research = next(block for block in message.blocks if "*1. Research*" in block.get("text", {}).get("text", ""))
    assert ":neutral_face: 0.00" in research["text"]["text"]  # one negative, one positive feeling
    assert "How might we change the fact that shipping costs show up only at checkout?" in text
    assert "_(draft)_" in text


def test_user_text_cannot_ping_mention_or_link_through_the_summary():
    workshop = make_workshop(title="<!channel> launch")
    nasty = ["<!channel> look", "<@U123> owes me", "<!here>", "<https://evil.example|click me>", "a & b < c > d"]
    items = [make_item("end_user", text) for text in nasty]
    message = summary_message(summary_of(workshop, items, names={"U1": "<!everyone>"}))
    rendered = _mrkdwn(message.blocks) + message.text
    assert not MENTION.search(rendered)
    assert "&lt;!channel&gt; look" in rendered and "a &amp; b &lt; c &gt; d" in rendered


def test_phase_names_typed_by_the_lead_are_escaped_in_prompts():
    plan = build_plan(template="understand", phases=["<!here> Research"], catalog=load_catalog())
    ref = plan.get("journey:1")
    prompt = step_prompt(load_pack("en"), ref, kind="customer", phases=["<!here> Research"], escape=escape)
    assert "<!here>" not in prompt and "&lt;!here&gt; Research" in prompt


def test_the_answer_modal_for_a_phase_asks_lane_feeling_and_evidence():
    pack = load_pack("en")
    view = answer_modal(pack, metadata={"w": 1, "s": "journey:1"}, step_title="Phase 1 of 3: Research",
                        lanes=("does", "thinks", "feels", "touchpoints"), feeling_lane="feels",
                        evidence_values=("assumption", "interview", "observation", "diary"))
    block_ids = [block.get("block_id") for block in view["blocks"] if block["type"] == "input"]
    assert block_ids == ["lane", "text", "feeling", "why", "evidence"]
    assert view["private_metadata"] == '{"w":1,"s":"journey:1"}'
    text_input = next(b for b in view["blocks"] if b.get("block_id") == "text")["element"]
    assert text_input["max_length"] == 3000
