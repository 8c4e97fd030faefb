"""A server install as docs/deployment.md, deploy/Containerfile and deploy/journeybot.service describe it:
the same commands, run here into a fresh virtual environment, then `journeybot --version`, `db upgrade`
on a throwaway PostgreSQL and `serve` answering /healthz."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from bot.standin import WebAPI
from tests.cli_process import SETTINGS
from tests.install import wait_for_health
from tests.postgres import free_port

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "/opt/journeybot"  # where the documents install it
INSTALL = ("python3 -m venv /opt/journeybot", "/opt/journeybot/bin/pip install '.[server,postgres]'")
UPGRADE = "/opt/journeybot/bin/journeybot db upgrade"
SERVE = "/opt/journeybot/bin/journeybot serve"
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info", "build", "journeybot-demo",
                                    "*.sqlite3*", ".env", ".pytest_cache")


def test_the_documents_install_with_the_tested_commands():
    deployment = (ROOT / "docs" / "deployment.md").read_text()
    container = (ROOT / "deploy" / "Containerfile").read_text()
    unit = (ROOT / "deploy" / "journeybot.service").read_text()
    for command in INSTALL:
        assert command in deployment and f"RUN {command}\n" in container and f"#   {command}\n" in unit
    assert f"ExecStartPre={UPGRADE}\n" in unit and f"ExecStart={SERVE} " in unit
    assert f'CMD ["{SERVE.replace(" ", chr(34) + ", " + chr(34))}", ' in container


@pytest.fixture
def fresh_install(tmp_path):
    """The install commands, run in a copy of the source (building leaves files behind), into a new venv."""
    if os.environ.get("JOURNEYBOT_REQUIRE_ALL") != "1" and os.environ.get("JOURNEYBOT_TEST_INSTALL") != "1":
        pytest.skip("installs journeybot into a fresh virtual environment (about 90 s); "
                    "CI runs it (.ci/run), or set JOURNEYBOT_TEST_INSTALL=1")
    source, prefix = tmp_path / "source", tmp_path / "journeybot"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    for command in INSTALL:
        done = subprocess.run(command.replace(PREFIX, str(prefix)), shell=True, cwd=source, capture_output=True,
                              text=True, timeout=900)
        assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return prefix / "bin"


def run(bin_dir: Path, *args: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir / "journeybot"), *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.postgres
def test_a_server_install_migrates_and_serves(fresh_install, postgres_server, tmp_path):
    bin_dir, workdir = fresh_install, tmp_path / "work"
    workdir.mkdir()
    database_url = postgres_server.create_database()
    with WebAPI() as slack:
        env = {key: value for key, value in os.environ.items() if key not in SETTINGS and key != "PYTHONPATH"}
        env |= {"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-install", "SLACK_SIGNING_SECRET": "secret",
                "SLACK_API_URL": slack.base_url}

        version = run(bin_dir, "--version", cwd=workdir, env=env)
        assert version.returncode == 0 and version.stdout.startswith("journeybot ")
        assert subprocess.run([str(bin_dir / "python"), "-c", "import pytest"], capture_output=True).returncode != 0

        upgraded = run(bin_dir, "db", "upgrade", cwd=workdir, env=env)
        assert upgraded.returncode == 0, upgraded.stderr
        assert upgraded.stdout == f"Database at {database_url} is up to date.\n" and upgraded.stderr == ""
        assert run(bin_dir, "db", "pending", cwd=workdir, env=env).stdout == "No pending migrations.\n"

        port = free_port()
        server = subprocess.Popen([str(bin_dir / "journeybot"), "serve", "--workers", "2", "--port", str(port)],
                                  cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            health = wait_for_health(f"http://127.0.0.1:{port}/healthz", server)
        finally:
            server.send_signal(signal.SIGTERM)
            _, log = server.communicate(timeout=60)
    assert health == (200, {"ok": True})
    assert server.returncode == 0, log
    [start] = log.splitlines()  # one line per start, nothing else while all is well
    assert start.endswith(f"INFO [{server.pid}] journeybot: journeybot serve: HTTP on 127.0.0.1:{port}, "
                          f"2 worker(s) × 8 threads; database {database_url}; workspace Journey Workshop (T0JOURNEY)")
    assert list(workdir.iterdir()) == []  # on PostgreSQL, no SQLite file appears
