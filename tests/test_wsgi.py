"""bot.run.wsgi over HTTP: the health check load balancers ask, and the Slack paths."""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

import pytest

import storage.db
from bot.wiring.settings import Settings
from bot.standin import WebAPI
from bot.run import wsgi
from bot.run.wsgi import make_wsgi_app
from storage.db import make_engine
from storage.schema import upgrade
from tests.postgres import free_port
from tests.wsgi_server import serving


def status_and_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def settings_for():
    """Settings for a database; Slack is a WebAPI (Bolt checks the bot token with auth.test at start)."""
    with WebAPI() as web_api:
        yield lambda database_url: Settings(bot_token="xoxb-health", signing_secret="secret",
                                            database_url=database_url, slack_api_url=web_api.base_url)


def test_healthy_while_the_database_answers(engine, database_url, settings_for):
    with serving(make_wsgi_app(settings_for(database_url))) as root:
        assert status_and_json(f"{root}/healthz") == (200, {"ok": True})


def test_unhealthy_when_the_database_does_not_answer(settings_for):
    nowhere = f"postgresql+psycopg://journeybot@127.0.0.1:{free_port()}/journeybot"
    with serving(make_wsgi_app(settings_for(nowhere))) as root:
        status, body = status_and_json(f"{root}/healthz")
    assert status == 503 and body["ok"] is False


def test_unhealthy_when_the_database_host_is_silent(settings_for, monkeypatch):
    """A host that takes the connection but never answers: the health check gives up, it does not hang."""
    monkeypatch.setattr(storage.db, "CONNECT_TIMEOUT_SECONDS", 1)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        nowhere = f"postgresql+psycopg://journeybot@127.0.0.1:{silent.getsockname()[1]}/journeybot"
        with serving(make_wsgi_app(settings_for(nowhere))) as root:
            status, body = status_and_json(f"{root}/healthz")
    assert status == 503 and body["ok"] is False


@pytest.mark.postgres
def test_unhealthy_while_the_database_host_is_paused_and_healthy_again_when_it_resumes(own_postgres_server,
                                                                                       settings_for):
    """SIGSTOP on the postmaster and its backends: the pooled connection stays open and nothing answers.
    A hanging health check would fail here on the client's own 10 s timeout."""
    database_url = own_postgres_server.create_database()
    upgrade(make_engine(database_url))
    with serving(make_wsgi_app(settings_for(database_url))) as root:
        assert status_and_json(f"{root}/healthz") == (200, {"ok": True})  # the pool now holds a connection
        with own_postgres_server.paused():
            for _ in range(3):  # each check answers, though the first question is still unanswered
                assert status_and_json(f"{root}/healthz") == (503, {"ok": False,
                                                                    "error": "database: no answer within 3 s"})
        assert status_and_json(f"{root}/healthz") == (200, {"ok": True})  # no restart needed


def test_unsigned_requests_to_slack_events_are_refused(engine, database_url, settings_for):
    with serving(make_wsgi_app(settings_for(database_url))) as root:
        request = urllib.request.Request(f"{root}/slack/events", data=b'{"type": "event_callback"}', method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401


def test_gunicorns_app_factory_says_what_to_fix_and_stops_gunicorn(tmp_path, monkeypatch, caplog):
    """`gunicorn 'bot.run.wsgi:app()'` with a wrong setting: the sentence, and gunicorn's "worker failed to boot"."""
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JOURNEYBOT_LANG", "fr")
    with pytest.raises(SystemExit) as stopped:
        wsgi.app()
    assert stopped.value.code == 3
    assert caplog.messages == ["JOURNEYBOT_LANG is 'fr'; set it to one of: en, nl."]
