"""journeybot in Socket Mode, as the README recommends running it: `journeybot run` in its own process,
connected with the app-level token to a local Socket Mode server that speaks Slack's protocol
(bot/standin/socket_mode.py). People act through that server: each action arrives as an envelope,
and returns when the bot acknowledges it. The network misbehaves as real ones do: a connection
dropped without a word, Slack's routine refresh, two processes sharing the envelopes.

Bounds on time here are generous (seconds where the defect took a minute, or three seconds where
Slack allows three); the precise figures come from `python -m bench.socket_mode`.
"""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import HTTPError

import pytest
from sqlmodel import Session, select

from bot.standin import People, WebAPI, payloads
from bot.standin.socket_mode import NoAck, SocketModeServer
from storage.db import make_engine
from storage.models import Item
from tests.test_http_process import CHANNEL, command, free_port, open_prompt, reply, wait_for
from tests.test_workshop import ANA, BRAM, CHLOE, LEAD

ROOT = Path(__file__).resolve().parents[1]
APP_TOKEN = "xapp-1-A0JOURNEY-socket-test"


class Bot:
    """`journeybot run` (Socket Mode) in its own process; `log` is what it wrote to stderr."""

    def __init__(self, web_api: WebAPI, workdir: Path, database_url: str, name: str = "bot", **settings: str):
        self.log_path = workdir / f"{name}.log"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "SLACK_BOT_TOKEN": "xoxb-socket-test",
                    "SLACK_SIGNING_SECRET": "unused-in-socket-mode", "SLACK_APP_TOKEN": APP_TOKEN,
                    "SLACK_API_URL": web_api.base_url, "DATABASE_URL": database_url, **settings}
        self.workdir, self.process = workdir, None

    def start(self) -> "Bot":
        self.process = subprocess.Popen([sys.executable, "-m", "bot.run.cli", "run"], cwd=self.workdir, env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=open(self.log_path, "a"))
        return self

    def wait_connected(self, slack: SocketModeServer, count: int = 1) -> None:
        """Until the server has `count` connections (this bot's and others'); fails at once if the bot exits."""
        def connected() -> bool:
            assert self.process.poll() is None, self.log
            return len(slack.open_links()) >= count
        wait_for(connected, "the bot to connect")

    @property
    def log(self) -> str:
        return self.log_path.read_text()

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used so far (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def slack(web_api):
    with SocketModeServer(web_api) as server:
        yield server


@pytest.fixture
def bot(web_api, slack, tmp_path):
    bot = Bot(web_api, tmp_path, f"sqlite:///{tmp_path / 'journeybot.sqlite3'}").start()
    bot.wait_connected(slack)
    yield bot
    bot.stop()


@pytest.fixture
def people(web_api, slack):
    return People(web_api, slack, signing_secret="unused-in-socket-mode", channel=CHANNEL)


def items(database_url: str) -> list[str]:
    with Session(make_engine(database_url)) as session:
        return sorted(item.text for item in session.exec(select(Item)))


def test_a_workshop_runs_over_socket_mode_with_the_app_token(web_api, slack, bot, people):
    opened = web_api.calls_of("apps.connections.open")
    assert [call["ok"] for call in opened] == [True]  # asked with the xapp- token; a bot token is refused
    wait_for(lambda: "Socket Mode: connected to Slack" in bot.log, "the log line")  # written as hello arrives

    assert "You started" in command(web_api, people, LEAD, "start Ordering online")
    people.say(ANA, "A parent ordering school books", thread_ts=open_prompt(web_api)["ts"])  # returns at the ack
    assert items(bot.env["DATABASE_URL"]) == ["A parent ordering school books"]  # stored before it
    people.click(BRAM, message_ts=open_prompt(web_api)["ts"], action_id="answer")
    modal = wait_for(lambda: web_api.open_views(BRAM), "the Answer modal")[-1]
    errors = people.submit(BRAM, modal["id"], {"text": "   "})  # the errors travel back in the ack
    assert errors == {"text": "Write your answer here."}
    assert [v["id"] for v in web_api.open_views(BRAM)] == [modal["id"]]
    assert people.submit(BRAM, modal["id"], {"text": "A student renting a laptop"}) == {}
    assert "Moved on to step 2" in command(web_api, people, LEAD, "next")
    reply(web_api, people, CHLOE, "Research, then purchase")
    assert "step 2 of" in command(web_api, people, ANA, "status")
    assert items(bot.env["DATABASE_URL"]) == ["A parent ordering school books", "A student renting a laptop",
                                              "Research, then purchase"]


def test_an_event_whose_ack_was_lost_is_redelivered_and_stored_once(web_api, slack, bot, people):
    command(web_api, people, LEAD, "start Ordering online")
    event = thread_reply_event(web_api, people, ANA, "Research, then purchase")
    bot.process.send_signal(signal.SIGSTOP)  # the bot hangs, so Slack hears nothing in time
    try:
        with pytest.raises(NoAck):
            slack.deliver("events_api", event, timeout=1)
    finally:
        bot.process.send_signal(signal.SIGCONT)
    redelivery = slack.deliver("events_api", event, retry_attempt=1, retry_reason="timeout")
    assert redelivery.payload is None  # a plain ack
    assert items(bot.env["DATABASE_URL"]) == ["Research, then purchase"]
    wait_for(lambda: web_api.reactions(CHANNEL, event["event"]["ts"]), "the tick")
    assert [r["user"] for r in web_api.thread(CHANNEL, event["event"]["thread_ts"])[1:]] == [ANA]


def thread_reply_event(web_api, people, user: str, text: str) -> dict:
    """`user` replies in the open prompt's thread; the event_callback Slack sends about it."""
    message = web_api.post_as_user(user, CHANNEL, payloads.user_message(text), thread_ts=open_prompt(web_api)["ts"])
    return payloads.event_callback(people.install, payloads.message_event(message, channel_id=CHANNEL,
                                                                          channel_type="channel"),
                                   event_id=f"Ev{message['ts'].replace('.', '')}", event_time=int(web_api.now()))


def test_a_redelivered_event_is_acknowledged_and_stored_once(web_api, bot, people):
    command(web_api, people, LEAD, "start Ordering online")
    reply(web_api, people, ANA, "A parent ordering school books")
    for _ in range(2):  # Slack redelivers with retry_attempt when it thinks the ack was lost
        assert people.retry_last("timeout").status == 200
    prompt = open_prompt(web_api)
    assert items(bot.env["DATABASE_URL"]) == ["A parent ordering school books"]
    assert len(web_api.thread(CHANNEL, prompt["ts"])) == 2  # the prompt and the one reply: no second question


def test_a_dropped_connection_comes_back_within_seconds_without_burning_the_cpu(web_api, slack, bot, people):
    command(web_api, people, LEAD, "start Ordering online")
    dropped = slack.open_links()[0]
    web_api.fail("apps.connections.open", error="internal_error")  # Slack is not back at the first try
    cpu_before, dropped_at = bot.cpu_seconds(), time.monotonic()
    slack.drop(dropped)  # no close frame: the TCP connection just ends

    new_link = slack.wait_for_links(1, timeout=5, newer_than=dropped)[0]  # it took a minute with slack_sdk 3.48
    time.sleep(max(0.0, dropped_at + 3 - time.monotonic()))
    assert bot.cpu_seconds() - cpu_before < 0.6  # a busy loop would use most of these 3 s
    assert "Moved on to step 2" in command(web_api, people, LEAD, "next")
    reply(web_api, people, ANA, "Research, then purchase")
    assert [link.number for link in slack.open_links()] == [new_link.number]
    assert "Socket Mode: connection lost" in bot.log and "Socket Mode: reconnected to Slack" in bot.log


def test_after_slacks_refresh_the_new_connection_is_served_at_once(web_api, slack, bot, people):
    command(web_api, people, LEAD, "start Ordering online")
    old = slack.open_links()[0]
    slack.refresh(old)
    new = slack.wait_for_links(1, newer_than=old)[0]

    ack = slack.deliver("slash_commands", status_command(web_api, people), link=new)
    assert ack.seconds < 1, f"acknowledged after {ack.seconds:.2f} s"  # it was 3.06 s: past Slack's 3 s
    assert "step 1 of" in wait_for(lambda: web_api.ephemerals(LEAD)[1:], "the status")[0]["text"]
    late = slack.deliver("slash_commands", status_command(web_api, people), link=old)  # still on the old one
    assert late.seconds < 1
    assert "step 1 of" in wait_for(lambda: web_api.ephemerals(LEAD)[2:], "the second status")[0]["text"]
    assert "Socket Mode: Slack asked for a new connection (refresh_requested)" in bot.log


def status_command(web_api, people) -> dict:
    return payloads.slash_command_form(
        people.install, user=web_api.user(LEAD), channel_id=CHANNEL, channel_name="journey-workshop",
        command="/journey", text="status", response_url=web_api.response_url(CHANNEL, LEAD),
        trigger_id=web_api.issue_trigger(LEAD))


def test_a_wrong_app_token_stops_the_bot_with_what_to_do(web_api, slack, tmp_path):
    bot = Bot(web_api, tmp_path, f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", SLACK_APP_TOKEN="xapp-revoked")
    web_api.fail("apps.connections.open", error="invalid_auth")
    assert bot.start().process.wait(timeout=60) == 2
    assert "Slack refused SLACK_APP_TOKEN (invalid_auth)" in bot.log and "connections:write" in bot.log
    assert not slack.links


def test_two_processes_share_the_envelopes_and_store_each_answer_once(web_api, slack, tmp_path, database_url):
    first = Bot(web_api, tmp_path, database_url, "first").start()
    first.wait_connected(slack)
    second = Bot(web_api, tmp_path, database_url, "second").start()  # started after the first has migrated
    try:
        second.wait_connected(slack, 2)
        people = People(web_api, slack, signing_secret="unused-in-socket-mode", channel=CHANNEL)
        assert "Je bent" in command(web_api, people, LEAD, "start Online bestellen lang:nl")
        answers = [f"Ouder nummer {n} die schoolboeken bestelt" for n in range(12)]
        for n, text in enumerate(answers):
            reply(web_api, people, (ANA, BRAM, CHLOE)[n % 3], text)
        people.retry_last("timeout")  # the redelivery may reach the other process: still stored once
        assert "stap 1 van" in command(web_api, people, BRAM, "status")
        assert items(database_url) == sorted(answers)
        assert all(link.delivered >= 5 for link in slack.open_links())  # each process had its share
        assert all("Socket Mode: connected to Slack" in bot.log for bot in (first, second))

        first.process.send_signal(signal.SIGTERM)  # a rolling restart: the other process carries on alone
        assert first.process.wait(timeout=30) == 0 and "Socket Mode: stopping" in first.log
        wait_for(lambda: len(slack.open_links()) == 1, "its connection to close")
        reply(web_api, people, ANA, "Nog een ouder")
        assert "Door naar stap 2" in command(web_api, people, LEAD, "next")
        assert len(items(database_url)) == len(answers) + 1
    finally:
        first.stop()
        second.stop()


def test_healthz_says_whether_the_bot_hears_slack(web_api, slack, tmp_path):
    port = free_port()
    bot = Bot(web_api, tmp_path, f"sqlite:///{tmp_path / 'journeybot.sqlite3'}",
              JOURNEYBOT_HEALTH_PORT=str(port)).start()
    try:
        bot.wait_connected(slack)
        link = slack.open_links()[0]
        assert wait_for(lambda: health(port) == (200, {"ok": True}), "healthy")
        web_api.fail("apps.connections.open", error="internal_error", times=100)  # Slack unreachable
        slack.drop(link)
        status, body = wait_for(lambda: (answer := health(port))[0] == 503 and answer, "unhealthy")
        assert "Socket Mode: not connected since" in body["error"]
    finally:
        bot.stop()


def health(port: int) -> tuple[int, dict | None]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status, json.load(response)
    except HTTPError as error:
        return error.code, json.load(error)
    except OSError:
        return 0, None  # not listening yet
