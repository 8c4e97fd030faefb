"""Web API calls keep their connection open (bot/wiring/keepalive.py): fewer handshakes, and nothing lost or
sent twice when Slack closes a connection."""
from __future__ import annotations

import json
import time
import urllib.request

import pytest

from bot.standin import WebAPI
from bot.standin.session import open_standin
from bot.wiring import keepalive
from bot.wiring.app import make_web_client
from bot.wiring.settings import Settings
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE

CHANNEL = "C0KEEP"


@pytest.fixture
def web_api():
    keepalive.install()  # as create_app does
    with WebAPI() as web_api:
        web_api.add_user(ANA, "ana")
        web_api.add_channel(CHANNEL, "keep", [ANA])
        yield web_api


def client_of(web_api: WebAPI):
    return make_web_client(Settings(bot_token="xoxb-keep", signing_secret="secret", slack_api_url=web_api.base_url))


def posted(web_api: WebAPI) -> list[str]:
    return [message["text"] for message in web_api.messages(CHANNEL)]


def test_answers_are_confirmed_over_a_few_kept_connections_not_one_per_call(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as slack:
        slack.command(LEAD, "start Ordering online")
        prompt = slack.open_prompt()["ts"]
        opened_before, calls_before = slack.web_api.connections_opened, slack.web_api.call_count
        for number in range(30):
            slack.people.say(ANA if number % 2 else BRAM, f"does: compares shops {number}", thread_ts=prompt)
        slack.people.executor.wait_idle()

        calls = slack.web_api.call_count - calls_before
        assert len(slack.web_api.calls_of("reactions.add")) == 30
        assert slack.web_api.connections_opened - opened_before <= calls / 5  # a handful of threads, each its own


def post_before_and_after_slack_closes_the_connection(web_api: WebAPI) -> bool:
    """Whether the second post said ok."""
    client = client_of(web_api)
    client.chat_postMessage(channel=CHANNEL, text="before")
    web_api.close_connections()
    time.sleep(0.05)
    return client.chat_postMessage(channel=CHANNEL, text="after")["ok"]


def test_a_connection_slack_closed_while_it_was_idle_is_replaced_before_the_call(web_api, monkeypatch):
    monkeypatch.setattr(keepalive, "CHECK_AFTER_IDLE_SECONDS", 0.0)
    assert post_before_and_after_slack_closes_the_connection(web_api)
    assert posted(web_api) == ["before", "after"]
    assert web_api.connections_opened == 2


def test_a_connection_closed_just_before_a_call_is_retried_by_slack_sdk_and_posts_once(web_api, monkeypatch):
    monkeypatch.setattr(keepalive, "CHECK_AFTER_IDLE_SECONDS", 3600.0)  # no check: the call finds it closed
    assert post_before_and_after_slack_closes_the_connection(web_api)
    assert posted(web_api) == ["before", "after"]


def test_a_response_closed_unread_leaves_the_connection_ready_for_the_next_call(web_api):
    """As a health probe does: it looks at the status and closes the response without reading its body."""
    request = lambda: urllib.request.Request(web_api.base_url + "auth.test", data=b"token=xoxb-keep")  # noqa: E731
    for _ in range(20):
        with urllib.request.urlopen(request(), timeout=10) as glanced_at:
            assert glanced_at.status == 200
        with urllib.request.urlopen(request(), timeout=10) as read:
            assert json.loads(read.read())["ok"]
    assert web_api.connections_opened == 1
