"""Nothing people type turns into a ping, a mention or a disguised link in what the bot posts.

A whole workshop where every title, phase name, reply, modal field and display name is hostile; then
every message, update, ephemeral, modal and response_url body the bot sent is scanned. The only
mention the bot makes itself is of a workshop's lead (the kickoff, "only the lead can…", the deletion
note): IDs Slack gave the bot, never text someone typed.
"""
import json
import re

import pytest

from bot.standin.session import open_standin
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE

MALLORY = "U0MALLORY"  # a display name is text someone typed, too
HOSTILE = [
    "<!channel> urgent", "<!here>", "<!everyone>", "<@U0VICTIM> look", "<!subteam^S0GROUP|@designers>",
    "<#C0OTHER|general>", "<http://evil.example|your bank>", "<https://evil.example>", "<mailto:x@evil.example|mail>",
    "&lt;!here&gt; as typed", "a & b <> c > d", "<!date^1392734382^{date}|Feb 18>", "*bold* <@U0LEAD|lead>",
]
# What Slack reads as a mention, a special ping or a link in mrkdwn.
TOKEN = re.compile(r"<[@!#]?[^<>]*>")
OWN_MENTIONS = {f"<@{LEAD}>", f"<@{MALLORY}>"}  # both lead a workshop below
# The bot's links to its own prompts (chat.getPermalink), labelled with the pack's words, never typed text.
OWN_LINK = re.compile(r"<https://[a-z-]+\.slack\.com/archives/C0WORKSHOP/p\d+\|(reply in its thread|Open the prompt)>")
POSTING_METHODS = {"chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage", "views.open",
                   "views.update", "views.push", "views.publish", "response_url"}


def mrkdwn_texts(node, *, top_level: bool = True):
    """Every text Slack parses as mrkdwn: a message's `text` and blocks' mrkdwn objects (plain_text is shown as is)."""
    if isinstance(node, dict):
        if top_level and isinstance(node.get("text"), str) and node.get("mrkdwn", True):
            yield node["text"]
        if node.get("type") == "mrkdwn":
            yield node["text"]
        for key, value in node.items():
            if key != "private_metadata":
                yield from mrkdwn_texts(value, top_level=False)
    elif isinstance(node, list):
        for value in node:
            yield from mrkdwn_texts(value, top_level=False)
    elif isinstance(node, str) and node.startswith(("[", "{")):  # blocks and views sent as JSON strings
        try:
            yield from mrkdwn_texts(json.loads(node), top_level=False)
        except ValueError:
            pass


def foreign_tokens(calls: list[dict]) -> list[tuple[str, str]]:
    return [(call["method"], token) for call in calls if call["method"] in POSTING_METHODS
            for text in mrkdwn_texts(call["params"]) for token in TOKEN.findall(text)
            if token not in OWN_MENTIONS and not OWN_LINK.fullmatch(token)]


def settle_questions(slack, user: str) -> None:
    """Answers the bot's private lane or feeling question, if it asked one."""
    for _ in range(2):
        last = (slack.web_api.ephemerals(user) or [{}])[-1]
        buttons = [e for b in last.get("blocks", []) for e in b.get("elements", [])
                   if str(e.get("action_id", "")).startswith(("set_lane:", "set_feeling:"))]
        if not buttons:
            return
        slack.people.click(user, message_ts=last["ts"], action_id=buttons[-1]["action_id"])


def answer_with_modal(slack, user: str, text: str) -> None:
    slack.people.click(user, message_ts=slack.open_prompt()["ts"], action_id="answer")
    view = slack.web_api.open_views(user)[-1]
    blocks = {block["block_id"] for block in view["blocks"]}
    values = {"text": text}
    if "lane" in blocks:
        lanes = [o["value"] for b in view["blocks"] if b["block_id"] == "lane" for o in b["element"]["options"]]
        values["lane"] = "feels" if "feels" in lanes else lanes[0]
    if "feeling" in blocks and values.get("lane", "feels") == "feels":
        values |= {"feeling": "-1", "why": text}
    assert slack.people.submit(user, view["id"], values) == {}


@pytest.fixture
def slack(tmp_path):
    people = {**PEOPLE, MALLORY: "<!channel> Mallory"}
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=people) as slack:
        yield slack


def test_no_hostile_text_becomes_a_ping_mention_or_link_anywhere_the_bot_posts(slack, record_property):
    title = "Ordering <!channel> <http://evil.example|online> & more"
    slack.command(MALLORY, f"start {title}")  # Mallory leads this one and is refused everything else
    slack.command(MALLORY, "delete")
    slack.people.click(MALLORY, message_ts=slack.web_api.ephemerals(MALLORY)[-1]["ts"], action_id="delete_confirm")
    slack.command(LEAD, f"start {title}")
    for text in ("<!here>", "&lt;!here&gt;", "start again <!channel>", "start x colour:<!here>", "next <@U0VICTIM>", "start <!here>"):
        slack.command(BRAM, text)
    step = 0
    while True:
        for number, text in enumerate(HOSTILE):
            who = (ANA, BRAM, MALLORY)[number % 3]
            prefix = ("", "does: ", "feels: :( ", "thinks: ", "touchpoint: ")[number % 5]
            slack.reply(who, prefix + text)
            settle_questions(slack, who)
        answer_with_modal(slack, ANA, " ".join(HOSTILE))
        slack.command(BRAM, "status")
        if step == 1:
            slack.command(LEAD, "phases " + "&lt;!here&gt;" * 20)  # too long: quoted back
            slack.command(LEAD, "phases " + ", ".join(HOSTILE[:6]))
        step += 1
        if "Moved on" not in slack.command(LEAD, "next"):
            break
        slack.reply(BRAM, "too late <!channel>", prompt_ts=slack.prompts()[-2]["ts"])  # a closed step
    slack.reply(ANA, "<!channel> " * 400)  # too long: the text comes back to its author
    slack.command(ANA, "summary")
    slack.command(LEAD, "summary")
    slack.command(LEAD, "close")
    slack.command(LEAD, "delete")
    slack.people.click(LEAD, message_ts=slack.web_api.ephemerals(LEAD)[-1]["ts"], action_id="delete_cancel")

    calls = slack.web_api.calls
    posts = sum(c["method"] in POSTING_METHODS for c in calls)
    record_property("bot_posts_scanned", posts)
    record_property("mrkdwn_texts_scanned", sum(len(list(mrkdwn_texts(c["params"]))) for c in calls
                                                if c["method"] in POSTING_METHODS))
    assert step >= 10 and posts > 300
    assert foreign_tokens(calls) == []
    # people's text did get through, escaped
    summary = next(c for c in calls if c["method"] == "chat.postMessage" and "Journey summary" in c["params"]["text"])
    assert "&lt;!here&gt; as typed" in json.dumps(summary["params"]) and "@channel urgent" in json.dumps(summary["params"])


def test_the_scan_sees_a_ping_in_a_message_block(slack):
    """The scan itself: a raw <!channel> in a block's mrkdwn is found, one in plain_text is not."""
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi <!channel>"}},
              {"type": "header", "text": {"type": "plain_text", "text": "<!here>"}}]
    calls = [{"method": "chat.postMessage", "params": {"text": f"<@{LEAD}> ok", "blocks": json.dumps(blocks)}}]
    assert foreign_tokens(calls) == [("chat.postMessage", "<!channel>")]
