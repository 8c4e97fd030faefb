"""The workshop's rules without Slack or a database: steps, replies, commands, prompt packs."""
import pytest

from flows.catalog import NEGATIVE, NEUTRAL, POSITIVE, load_catalog
from flows.commands import CommandError, parse_command
from flows.engine import PhaseListError, build_plan, parse_phase_list
from flows.replies import parse_reply
from flows.texts import available_languages, load_pack

JOURNEY_LANES = ("does", "thinks", "feels", "touchpoints")


def reply(text, lanes=JOURNEY_LANES, feeling_lane="feels", lang="en"):
    return parse_reply(text, lanes=lanes, feeling_lane=feeling_lane, pack=load_pack(lang), catalog=load_catalog())


def test_full_template_asks_each_phase_in_order_then_the_storyboard():
    plan = build_plan(template="full", phases=["Research", "Purchase", "Use"], catalog=load_catalog())
    keys = [ref.key for ref in plan.refs]
    assert keys[:5] == ["end_user", "phases", "journey:1", "journey:2", "journey:3"]
    assert keys[5:8] == ["opportunities", "hmw", "experience"]
    assert keys[8:] == ["story_customer", "story_pain", "story_solution", "story_discovery", "story_outcome"]
    assert [ref.phase for ref in plan.refs[2:5]] == ["Research", "Purchase", "Use"]


def test_moving_past_the_ends_gives_nothing_and_fewer_phases_keep_a_valid_position():
    plan = build_plan(template="storyboard", phases=[], catalog=load_catalog())
    assert plan.before("story_customer") is None
    assert plan.after("story_outcome") is None
    shorter = build_plan(template="understand", phases=["A", "B"], catalog=load_catalog())
    assert shorter.get("journey:4").key == "journey:2"


@pytest.mark.parametrize("text, lane, feeling, rest", [
    ("does: compares prices on three sites", "does", None, "compares prices on three sites"),
    ("Thinks: so much choice", "thinks", None, "so much choice"),
    ("feels: :( overwhelmed", "feels", NEGATIVE, "overwhelmed"),
    (":slightly_smiling_face: found it quickly", "feels", POSITIVE, "found it quickly"),
    ("feels :| meh", "feels", NEUTRAL, "meh"),
    ("touchpoint: the shop's website", "touchpoints", None, "the shop's website"),
])
def test_a_phase_reply_lands_in_its_lane_with_its_feeling(text, lane, feeling, rest):
    parsed = reply(text)
    assert (parsed.lane, parsed.feeling, parsed.text) == (lane, feeling, rest)
    assert not parsed.needs_lane and not parsed.needs_feeling


def test_a_reply_without_lane_or_feeling_asks_instead_of_guessing():
    assert reply("compares prices").needs_lane
    parsed = reply("feels: tired")
    assert parsed.lane == "feels" and parsed.needs_feeling


def test_research_hashtags_mark_evidence_and_leave_the_text():
    parsed = reply("does: calls the helpdesk twice #interview")
    assert parsed.evidence == "interview" and parsed.text == "calls the helpdesk twice"
    assert reply("does: waits #someothertag").evidence == "assumption"
    assert reply("does: waits #someothertag").text == "waits #someothertag"


def test_a_single_lane_step_needs_no_prefix_and_keeps_colons_in_text():
    parsed = reply("Note: she pays by invoice", lanes=("insight",), feeling_lane=None)
    assert parsed.lane == "insight" and parsed.text == "Note: she pays by invoice"


def test_control_characters_are_dropped_and_emoji_and_rtl_text_kept():
    parsed = reply("does: pays\x00 with 💳 مرحبا\x07")
    assert parsed.text == "pays with 💳 مرحبا"


def test_start_options_are_read_and_the_rest_is_the_title():
    command = parse_command("start Ordering online kind:user template:storyboard", load_catalog())
    assert command.name == "start" and command.argument == "Ordering online"
    assert command.options == {"kind": "user", "template": "storyboard"}


@pytest.mark.parametrize("text, key", [
    ("launch rockets", "messages.unknown_command"),
    ("start X colour:red", "messages.unknown_option"),
    ("start X kind:robot", "messages.bad_option_value"),
    ("next kind:user", "messages.unknown_option"),
])
def test_unknown_commands_and_options_are_refused(text, key):
    with pytest.raises(CommandError) as raised:
        parse_command(text, load_catalog())
    assert raised.value.key == key


def test_urls_in_a_title_are_not_options():
    assert parse_command("start See https://example.com/x", load_catalog()).argument == "See https://example.com/x"


def test_phase_lists_are_ordered_deduplicated_and_bounded():
    assert parse_phase_list("Research, Purchase,, purchase ,Use") == ["Research", "Purchase", "Use"]
    assert parse_phase_list("Research\nPurchase") == ["Research", "Purchase"]
    for bad in ("", " , ", ",".join(str(n) for n in range(20)), "x" * 100):
        with pytest.raises(PhaseListError):
            parse_phase_list(bad)


def _keys(node, prefix=""):
    if isinstance(node, dict):
        return {key for name, child in node.items() for key in _keys(child, f"{prefix}{name}.")}
    return {prefix.rstrip(".")}


def test_every_pack_has_exactly_the_english_keys():
    english = _keys(load_pack("en").data)
    for code in available_languages():
        assert _keys(load_pack(code).data) == english, code


def test_every_step_and_lane_has_its_words():
    catalog = load_catalog()
    for code in available_languages():
        pack = load_pack(code)
        for step_id in catalog.steps:
            for key in ("short", "title", "prompt", "example"):
                assert pack.raw(f"steps.{step_id}.{key}")
        for lane in catalog.all_lanes():
            assert pack.lane_label(lane)
