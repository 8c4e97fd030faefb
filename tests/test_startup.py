"""Starting journeybot as an operator does: what fails says, in one sentence, which setting to fix, and exits
non-zero without a traceback (unless asked for one); a start that works logs one line; secrets stay out."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.standin import WebAPI
from bot.wiring.settings import Settings
from tests.cli_process import ROOT, SETTINGS, journeybot
from tests.install import wait_for_health
from tests.postgres import free_port

SLACK = {"SLACK_BOT_TOKEN": "xoxb-secret-token-1234", "SLACK_SIGNING_SECRET": "signing-secret-5678"}


@pytest.fixture
def slack():
    with WebAPI() as web_api:
        yield web_api


def refused(result, sentence: str, status: int = 2) -> None:
    """The exit status (2: fix a setting; 3: Slack or the database did not answer, try again later) and
    exactly the one sentence on stderr: nothing else, no traceback."""
    assert (result.returncode, result.stderr) == (status, f"journeybot: {sentence}\n")


def test_a_token_slack_refuses(tmp_path, slack):
    slack.fail("auth.test", error="invalid_auth", times=5)
    result = journeybot("run", "--http", cwd=tmp_path, SLACK_API_URL=slack.base_url, **SLACK)
    refused(result, "Slack refused SLACK_BOT_TOKEN (invalid_auth); copy the Bot User OAuth Token (xoxb-…) "
                    "again from your app's OAuth & Permissions page.")
    assert not (tmp_path / "journeybot.sqlite3").exists()  # a failed start leaves nothing behind


def test_slack_not_answering(tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/api/"
    result = journeybot("serve", cwd=tmp_path, SLACK_API_URL=closed, **SLACK)
    refused(result, f"Slack does not answer at {closed} ([Errno 111] Connection refused); check the network, "
                    "or SLACK_API_URL if you set it.", status=3)


def test_the_database_not_answering(tmp_path, slack):
    nowhere = f"postgresql+psycopg://journeybot:db-password@127.0.0.1:{free_port()}/journeybot"
    result = journeybot("run", "--http", cwd=tmp_path, SLACK_API_URL=slack.base_url, DATABASE_URL=nowhere, **SLACK)
    shown = nowhere.replace("db-password", "***")
    assert result.returncode == 3 and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"journeybot: Cannot use the database at {shown} (connection failed:")
    assert result.stderr.endswith("Connection refused); check DATABASE_URL and that the database server is running.\n")


def test_a_database_url_that_is_not_one(tmp_path):
    refused(journeybot("db", "upgrade", cwd=tmp_path, DATABASE_URL="postgres//journeybot:pw@db/journeybot"),
            "DATABASE_URL is not a database URL; write it as postgresql+psycopg://user:password@host:5432/journeybot "
            "or sqlite:///journeybot.sqlite3.")


def test_postgresql_without_its_driver(tmp_path):
    """A server installed without the [postgres] extra."""
    (tmp_path / "psycopg").mkdir()
    (tmp_path / "psycopg" / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'psycopg'\")\n")
    result = journeybot("db", "upgrade", cwd=tmp_path, DATABASE_URL="postgresql+psycopg://journeybot@db/journeybot",
                        PYTHONPATH=f"{tmp_path}:{Path(__file__).resolve().parents[1]}")
    refused(result, "DATABASE_URL needs the database driver 'psycopg', which is not installed: "
                    "pip install 'journeybot[postgres]'.")


def test_serve_without_gunicorn(tmp_path):
    """A Socket Mode install (no [server] extra) asked to serve."""
    (tmp_path / "gunicorn").mkdir()
    (tmp_path / "gunicorn" / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'gunicorn'\")\n")
    result = journeybot("serve", cwd=tmp_path, PYTHONPATH=f"{tmp_path}:{Path(__file__).resolve().parents[1]}", **SLACK)
    refused(result, "journeybot serve runs on gunicorn, which is not installed: pip install 'journeybot[server]'.")


@pytest.mark.parametrize("setting, sentence", [
    ({"JOURNEYBOT_LANG": "fr"}, "JOURNEYBOT_LANG is 'fr'; set it to one of: en, nl."),
    ({"JOURNEYBOT_LOG_LEVEL": "loud"}, "JOURNEYBOT_LOG_LEVEL is 'loud'; set it to one of: debug, info, warning, error."),
    ({"SLACK_BOT_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN should start with 'xoxb-'; copy it again from your app's "
                                    "settings page."),
], ids=["language", "log level", "token"])
def test_a_wrong_setting(tmp_path, setting, sentence):
    refused(journeybot("serve", cwd=tmp_path, **{**SLACK, **setting}), sentence)


def test_a_broken_templates_file(tmp_path):
    (tmp_path / "ours.toml").write_text('[templates.quick]\nsteps = ["nope"\n')
    result = journeybot("run", "--http", cwd=tmp_path, JOURNEYBOT_TEMPLATES="ours.toml", **SLACK)
    refused(result, "JOURNEYBOT_TEMPLATES: ours.toml: is not valid TOML: Unclosed array.")


def test_several_workers_on_sqlite(tmp_path, slack):
    refused(journeybot("serve", "--workers", "2", cwd=tmp_path, SLACK_API_URL=slack.base_url, **SLACK),
            "SQLite takes one writer process, so --workers 2 needs DATABASE_URL set to a PostgreSQL database "
            "(or run --workers 1).")


@pytest.mark.parametrize("asking", [("--debug",), ()], ids=["--debug", "JOURNEYBOT_LOG_LEVEL=debug"])
def test_the_traceback_only_when_asked(tmp_path, asking):
    closed = f"http://127.0.0.1:{free_port()}/api/"
    debug = {} if asking else {"JOURNEYBOT_LOG_LEVEL": "debug"}
    result = journeybot(*asking, "run", "--http", cwd=tmp_path, SLACK_API_URL=closed, **SLACK, **debug)
    assert result.returncode == 3
    assert "Traceback (most recent call last)" in result.stderr and "URLError" in result.stderr
    assert result.stderr.endswith(f"journeybot: Slack does not answer at {closed} ([Errno 111] Connection refused); "
                                  "check the network, or SLACK_API_URL if you set it.\n")
    assert "xoxb-secret-token-1234" not in result.stderr and "signing-secret-5678" not in result.stderr


def test_settings_never_show_their_secrets(tmp_path):
    settings = Settings.load({**SLACK, "SLACK_APP_TOKEN": "xapp-app-token-9", "SLACK_CLIENT_ID": "1.2",
                              "SLACK_CLIENT_SECRET": "client-secret-0",
                              "DATABASE_URL": "postgresql+psycopg://journeybot:db-password@db/journeybot"},
                             env_file=tmp_path / "none.env")
    shown = repr(settings) + str(settings)
    for secret in ("xoxb-secret-token-1234", "signing-secret-5678", "xapp-app-token-9", "client-secret-0",
                   "db-password"):
        assert secret not in shown
    assert "bot_token='<set>'" in shown and "postgresql+psycopg://journeybot:***@db/journeybot" in shown


def test_version(tmp_path):
    result = journeybot("--version", cwd=tmp_path)
    assert result.returncode == 0 and re.fullmatch(r"journeybot \d+\.\d+\.\d+\S*\n", result.stdout)


@pytest.mark.parametrize("command, default", [
    ("run", "port to listen on with --http (default: 3000)"), ("serve", "(default: 127.0.0.1)"),
    ("serve", "requests each worker handles at once (default: 8)"), ("db", "apply pending migrations, or list them"),
    ("demo", "(default: journeybot-demo)"),
])
def test_help_shows_the_defaults(tmp_path, command, default):
    result = journeybot(command, "--help", cwd=tmp_path)
    assert result.returncode == 0 and default in " ".join(result.stdout.split())


def test_listing_pending_migrations_creates_no_database(tmp_path):
    result = journeybot("db", "pending", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.split()[0] == "0001"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_database_that_does_not_exist(tmp_path, slack, postgres_server):
    missing_database = postgres_server.url("no_such_database")
    result = journeybot("db", "upgrade", cwd=tmp_path, DATABASE_URL=missing_database)
    refused(result, f"Cannot use the database at {missing_database} (connection failed: connection to "
                    f"server at \"127.0.0.1\", port {postgres_server.port} failed: FATAL:  database "
                    "\"no_such_database\" does not exist); check DATABASE_URL and that the database server is running.",
            status=3)


def test_serve_on_sqlite_runs_one_worker(tmp_path, slack):
    """Without --workers, on the default SQLite file: one worker, healthy, and one line in the log."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS}
    env |= {"PYTHONPATH": str(ROOT), "SLACK_API_URL": slack.base_url, **SLACK}
    server = subprocess.Popen([sys.executable, "-m", "bot.run.cli", "serve", "--port", str(port)], cwd=tmp_path,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        health = wait_for_health(f"http://127.0.0.1:{port}/healthz", server)
    finally:
        server.send_signal(signal.SIGTERM)
        _, log = server.communicate(timeout=60)
    assert health == (200, {"ok": True})
    [start] = log.splitlines()
    assert start.endswith(f"journeybot: journeybot serve: HTTP on 127.0.0.1:{port}, 1 worker(s) × 8 threads; "
                          "database sqlite:///journeybot.sqlite3; workspace Journey Workshop (T0JOURNEY)")
