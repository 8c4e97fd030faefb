"""`journeybot serve --workers 3` on PostgreSQL, against the WebAPI: 1,000 thread replies from 50
people arrive at once, some of them twice (Slack's retries); every reply Slack was told arrived is
stored exactly once, and the summary counts them all."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.standin import WebAPI, People
from storage.db import make_engine
from tests.postgres import free_port

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[1]
SECRET, CHANNEL, LEAD = "load-signing-secret", "C0LOAD", "U0LEAD"
PEOPLE = [f"U0P{n:02d}" for n in range(50)]
ANSWERS, RETRIED_EVERY, SENDERS = 1000, 20, 24


@pytest.fixture
def web_api():
    with WebAPI() as web_api:
        for user in (LEAD, *PEOPLE):
            web_api.add_user(user, user.lower())
        web_api.add_channel(CHANNEL, "load-test", [LEAD, *PEOPLE])
        yield web_api


@pytest.fixture
def database_url(postgres_server):
    return postgres_server.create_database()


@pytest.fixture
def served(web_api, database_url, tmp_path):
    """`journeybot serve --workers 3` in a subprocess; yields its root URL once /healthz says it is up."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url, "SLACK_API_URL": web_api.base_url,
           "SLACK_BOT_TOKEN": "xoxb-load-test", "SLACK_SIGNING_SECRET": SECRET}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "bot.run.cli", "serve", "--workers", "3", "--port", str(port)],
                              cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)  # cwd: no stray .env
    root = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: healthy(root) or server.poll() is not None, timeout=60)
        assert server.poll() is None, (tmp_path / "serve.log").read_text()
        yield root
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def healthy(root: str) -> bool:
    try:
        with urllib.request.urlopen(f"{root}/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError):
        return False


def wait_until(condition, *, timeout: float):
    """Polls until condition() is truthy and returns it; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {timeout} s for {condition}")
        time.sleep(0.2)
    return result


def prompt_ts(engine) -> str | None:
    """The ts of the workshop's first prompt, once the worker that started it has recorded it."""
    with engine.connect() as connection:
        return connection.execute(text("SELECT ts FROM steppost")).scalar()


def stored_replies(engine) -> dict[str, int]:
    """How many items each thread reply (by message ts) became."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT message_ts, count(*) FROM item GROUP BY message_ts"))
        return dict(rows.all())


def test_a_thousand_answers_from_fifty_people_over_three_workers(web_api, served, database_url):
    events, engine = f"{served}/slack/events", make_engine(database_url)
    lead = People(web_api, events, signing_secret=SECRET, channel=CHANNEL)
    assert lead.slash(LEAD, "start Load test").status == 200
    prompt = wait_until(lambda: prompt_ts(engine), timeout=30)

    senders = threading.local()  # a People is not for sharing between threads

    def answer(n: int) -> tuple[str, bool]:
        """One person's thread reply (and, for some, Slack's retry of it); whether Slack got a 200."""
        if not hasattr(senders, "people"):
            senders.people = People(web_api, events, signing_secret=SECRET, channel=CHANNEL)
        people = senders.people
        user = PEOPLE[n % len(PEOPLE)]
        message = people.say(user, f"Answer {n} from {user}: compares shops", thread_ts=prompt)
        acked = people.last_response.status == 200
        if n % RETRIED_EVERY == 0:
            acked = people.retry_last().status == 200 or acked
        return message["ts"], acked

    with ThreadPoolExecutor(SENDERS) as pool:
        results = list(pool.map(answer, range(ANSWERS)))

    acked = {ts for ts, ok in results if ok}
    assert len(acked) == ANSWERS  # three workers keep up: no delivery was refused
    stored = wait_until(lambda: (replies := stored_replies(engine)).keys() >= acked and replies, timeout=120)
    assert set(stored) == acked
    assert set(stored.values()) == {1}  # retries stored nothing twice
    engine.dispose()

    lead.slash(LEAD, "summary")  # a lead's summary is posted in the channel
    summary = wait_until(lambda: [m for m in web_api.messages(CHANNEL) if m["text"] == "Journey summary: Load test"],
                         timeout=60)
    assert f"{ANSWERS:,} answers from {len(PEOPLE)} people" in str(summary[0]["blocks"])
