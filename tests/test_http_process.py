"""journeybot as it runs in production: `journeybot run --http` in its own process, against the
WebAPI in this one, with signed requests over HTTP. It refuses unsigned and stale requests, and
a kill -9 in the middle of a workshop loses nothing: restarted, it carries on where it was."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.standin.session import open_standin
from bot.standin import WebAPI, People
from storage.db import make_engine
from storage.models import Item
from tests.conftest import WORKSHOP_CHANNEL as CHANNEL
from tests.test_workshop import ANA, BRAM, CHLOE, LEAD, PEOPLE, block_text, section

ROOT = Path(__file__).resolve().parents[1]
SECRET = "http-test-signing-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what: str, timeout: float = 15):
    """Requests over HTTP return at the ack; the bot's listeners finish a moment later."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class Bot:
    """`journeybot run --http` on a port of its own, started, killed and restarted on one database."""

    def __init__(self, web_api: WebAPI, workdir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/slack/events"
        self.database_url = f"sqlite:///{workdir / 'journeybot.sqlite3'}"
        self.workdir, self.process = workdir, None
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "SLACK_BOT_TOKEN": "xoxb-http-test",
                    "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": web_api.base_url, "DATABASE_URL": self.database_url}

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "bot.run.cli", "run", "--http", "--port", str(self.port)],
                                        cwd=self.workdir, env=self.env, stdout=subprocess.DEVNULL,
                                        stderr=open(self.workdir / "bot.log", "a"))
        wait_for(self._listening, "the bot to listen")

    def _listening(self) -> bool:
        assert self.process.poll() is None, (self.workdir / "bot.log").read_text()
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def bot(web_api, tmp_path):
    bot = Bot(web_api, tmp_path)
    bot.start()
    yield bot
    bot.kill()


@pytest.fixture
def people(web_api, bot):
    return People(web_api, bot.url, signing_secret=SECRET, channel=CHANNEL)


def command(web_api, people, user: str, text: str) -> str:
    before = len(web_api.ephemerals(user))
    people.slash(user, text)
    return wait_for(lambda: web_api.ephemerals(user)[before:], f"an answer to /journey {text}")[0]["text"]


def open_prompt(web_api) -> dict:
    return next(m for m in reversed(web_api.messages(CHANNEL))
                if any(e.get("action_id") == "answer" for b in m.get("blocks", []) for e in b.get("elements", [])))


def reply(web_api, people, user: str, text: str) -> None:
    message = people.say(user, text, thread_ts=open_prompt(web_api)["ts"])
    wait_for(lambda: web_api.reactions(CHANNEL, message["ts"]), f"the tick on {text!r}")


def test_a_start_logs_one_line_saying_what_runs_where(bot):
    """Not a dozen migration lines, nor Bolt's warning that its client wins over the token it read itself."""
    [line] = (bot.workdir / "bot.log").read_text().splitlines()
    assert re.fullmatch(rf"\S+ \S+ INFO \[\d+\] journeybot: journeybot run: HTTP on port {bot.port} "
                        rf"\(development server\); database sqlite:///\S+journeybot.sqlite3; "
                        rf"workspace Journey Workshop \(T0JOURNEY\)", line), line


def test_a_workshop_survives_kill_9_and_carries_on_after_a_restart(web_api, bot, people):
    assert "You started" in command(web_api, people, LEAD, "start Ordering online")
    reply(web_api, people, ANA, "A parent ordering school books")
    assert "Moved on to step 2" in command(web_api, people, LEAD, "next")
    reply(web_api, people, BRAM, "Research, then purchase")
    prompt_before = open_prompt(web_api)["ts"]

    bot.kill()
    bot.start()

    assert open_prompt(web_api)["ts"] == prompt_before
    reply(web_api, people, CHLOE, "Use, then repeat")  # lands on the prompt that was open before the kill
    assert "Moved on to step 3" in command(web_api, people, LEAD, "next")
    reply(web_api, people, ANA, "does: compares prices")
    assert "step 3 of" in command(web_api, people, BRAM, "status")

    command(web_api, people, LEAD, "summary")
    summary = block_text(next(m for m in web_api.messages(CHANNEL) if m["text"].startswith("Journey summary")))
    assert "A parent ordering school books" in section(summary, "End user and problem")
    assert "compares prices" in summary
    with Session(make_engine(bot.database_url)) as session:
        assert sorted(item.text for item in session.exec(select(Item))) == [
            "A parent ordering school books", "Research, then purchase", "Use, then repeat", "compares prices"]


@pytest.mark.parametrize("signing", [{"secret": "not-the-secret"}, {"timestamp": time.time() - 5 * 60 - 30}],
                         ids=["wrong secret", "older than five minutes"])
def test_the_http_server_refuses_unsigned_and_stale_requests_before_any_listener(web_api, bot, people, signing):
    with people.signing(**signing):
        assert people.slash(LEAD, "start Ordering online").status == 401
    # had the refused start run, this one would find a workshop running
    assert "You started" in command(web_api, people, LEAD, "start Ordering online")
    assert len(web_api.ephemerals(LEAD)) == 1


def test_the_in_process_app_refuses_unsigned_and_stale_requests(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as slack:
        for signing in ({"secret": "not-the-secret"}, {"timestamp": time.time() - 5 * 60 - 30}):
            with slack.people.signing(**signing):
                assert slack.people.slash(LEAD, "start Ordering online").status == 401
                assert slack.people.say(ANA, "hello") and slack.people.last_response.status == 401
        assert not slack.web_api.ephemerals() and not slack.web_api.calls_of("chat.postMessage")
