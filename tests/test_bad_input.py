"""Bad input gets a clear private answer and stores nothing by halves: any command text, any reply text,
and requests with fields missing. The property tests are derandomized, so every run tries the same inputs."""
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from bot.standin.session import open_standin
from bot.listeners.common import to_plain
from bot.standin import payloads
from flows.catalog import load_catalog
from flows.commands import SUBCOMMANDS, CommandError, parse_command
from flows.replies import clean_text
from renderers.mrkdwn import escape
from storage.models import Item, Workshop
from tests.test_workshop import ANA, LEAD, PEOPLE

COMMAND_EXAMPLES = 120
REPLY_EXAMPLES = 120
PROPERTY = settings(max_examples=COMMAND_EXAMPLES, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
NASTY = ["", "   ", "\t\n", "\x00\x07\x1b[31m", "x" * 3001, "مرحبا بالعالم", "שלום \u202eevil\u202c", "🧭🗺️👩🏽‍💻",
         "\u200b\u200d", "Ordering\x00 online", "a & b < c > d", "<!channel>", "&lt;!here&gt;"]
WORDS = st.one_of(st.sampled_from([*SUBCOMMANDS, "START", "dance", "kind:user", "kind:alien", "votes:99",
                                   "template:none", "lang:xx", "anonymous:on", "due:2d", "x:", "http://a.b"]),
                  st.sampled_from(NASTY), st.text(max_size=40))
COMMAND_TEXTS = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=6).map(" ".join))
# No "#" or ":" in reply texts: hashtags mark evidence and "does:" names a lane, so the stored text
# drops them by design; everything else must arrive exactly as cleaned.
REPLY_TEXTS = st.one_of(st.text(alphabet=st.characters(blacklist_characters="#:", blacklist_categories=("Cs",)),
                                 max_size=300),
                        st.sampled_from(NASTY))


def rows(slack, model) -> list:
    with Session(slack.engine) as session:
        return list(session.exec(select(model)))


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as slack:
        yield slack


def is_lead_command(text: str) -> bool:
    try:
        return parse_command(to_plain(text), load_catalog()).name in {"start", "next", "back", "close", "summary", "delete"}
    except CommandError:
        return False


def test_any_command_text_is_answered_privately_and_only_lead_commands_post(slack, record_property):
    slack.command(LEAD, "start Ordering online")
    tried = []

    @PROPERTY
    @given(user=st.sampled_from([ANA, LEAD]), text=COMMAND_TEXTS)
    @example(user=LEAD, text="start " + "x" * 3001)
    @example(user=ANA, text="\x00" * 10)
    def command(user, text):
        tried.append(text)
        public, private = len(slack.web_api.messages(slack.channel)), len(slack.web_api.ephemerals(user))
        slack.people.slash(user, text)  # raises if any listener raised
        answers = slack.web_api.ephemerals(user)[private:]
        assert len(answers) == 1 and answers[0]["text"].strip()
        if len(slack.web_api.messages(slack.channel)) > public:
            assert user == LEAD and is_lead_command(text), text

    command()
    record_property("command_texts", len(tried))


def test_any_reply_is_stored_as_cleaned_or_returned_privately(slack, record_property):
    slack.command(LEAD, "start Ordering online")
    prompt_ts = slack.open_prompt()["ts"]
    tried = []

    @PROPERTY.__class__(PROPERTY, max_examples=REPLY_EXAMPLES)
    @given(text=REPLY_TEXTS)
    def reply(text):
        tried.append(text)
        items, private = rows(slack, Item), len(slack.web_api.ephemerals(ANA))
        slack.reply(ANA, text, prompt_ts=prompt_ts)
        new_items, answers = rows(slack, Item)[len(items):], slack.web_api.ephemerals(ANA)[private:]
        said = to_plain(text)
        if new_items:
            assert len(new_items) == 1 and new_items[0].text == clean_text(said) and not answers
        else:
            assert len(answers) == 1
            assert escape(said)[:500] in answers[0]["text"] or not clean_text(said)

    reply()
    record_property("reply_texts", len(tried))


def test_a_title_is_stored_cleaned_of_control_characters(slack):
    slack.command(LEAD, "start Ordering\x00 online\x1b")
    assert [w.title for w in rows(slack, Workshop)] == ["Ordering online"]


def test_a_phase_list_of_control_characters_is_refused(slack):
    slack.command(LEAD, "start Ordering online")
    assert "Name the phases in order" in slack.command(LEAD, "phases \x00, \x07")


def test_a_button_click_without_a_value_gets_an_answer(slack):
    slack.command(LEAD, "start Ordering online")
    slack.people.click(ANA, message_ts=slack.open_prompt()["ts"], action_id="answer")
    slack.people.replay(lambda payload: payload["actions"][0].pop("value"))
    assert "That step is closed" in slack.web_api.ephemerals(ANA)[-1]["text"]
    assert len(slack.web_api.open_views(ANA)) == 1  # only the first, well-formed click opened one


def test_a_lane_button_without_a_value_gets_an_answer(slack):
    slack.command(LEAD, "start Ordering online")
    slack.command(LEAD, "next")
    slack.command(LEAD, "next")
    slack.reply(ANA, "compares prices")
    question = slack.web_api.ephemerals(ANA)[-1]
    slack.people.click(ANA, message_ts=question["ts"], action_id="set_lane:does", value="")
    assert "nothing was done" in slack.web_api.ephemerals(ANA)[-1]["text"]
    assert rows(slack, Item)[0].lane is None


def test_a_modal_without_metadata_stays_open_with_an_error(slack):
    slack.command(LEAD, "start Ordering online")
    slack.answer_with_modal(ANA, {"text": "A teacher"})

    def strip(payload):
        payload["view"]["id"] = "V0OTHER"
        del payload["view"]["private_metadata"]

    ack = json.loads(slack.people.replay(strip).body)
    assert ack["response_action"] == "errors" and "This step was closed" in ack["errors"]["text"]
    assert len(rows(slack, Item)) == 1


def test_a_whitespace_only_modal_answer_keeps_the_modal_open(slack):
    slack.command(LEAD, "start Ordering online")
    assert slack.answer_with_modal(ANA, {"text": " \n\t "}) == {"text": "Write your answer here."}
    assert slack.web_api.open_views(ANA) and not rows(slack, Item)


def test_a_message_event_without_text_is_answered(slack):
    slack.command(LEAD, "start Ordering online")
    message = slack.web_api.post_as_user(ANA, slack.channel, payloads.user_message(""), thread_ts=slack.open_prompt()["ts"])
    del message["text"]
    slack.people.event(payloads.message_event(message, channel_id=slack.channel, channel_type="channel"))
    assert "empty, so nothing was stored" in slack.web_api.ephemerals(ANA)[-1]["text"]
    assert not rows(slack, Item)


def test_a_slash_command_without_text_shows_the_help(slack):
    slack.command(ANA, "status")
    slack.people.replay(lambda form: form.pop("text"))
    assert "/journey start" in slack.web_api.ephemerals(ANA)[-1]["text"]
