"""Where start-up time goes, in a fresh process (`python -m bench.startup ready ...`).

Ready means: the process has imported the app factory, migrated a fresh SQLite database to the newest
schema, built the Bolt app (Bolt checks the token with one auth.test against the stand-in) and acked a
first signed `/journey help` request through `app.dispatch` with status 200. It is timed on the system's
monotonic clock, from just before the parent spawns the process until that ack.
"""
from __future__ import annotations

import time

SPAWNED = time.monotonic()  # before the heavy imports below: the child's first moment under our control

import compileall
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.standin import WebAPI

ROOT = Path(__file__).resolve().parents[1]
LEAD, CHANNEL = "U0LEAD", "C0WORKSHOP"
HEAVY_MODULES = ("matplotlib", "numpy", "jinja2", "alembic", "sqlalchemy.dialects.postgresql", "slack_bolt")


def measure_ready(web_api: WebAPI, workdir: Path, times: int) -> dict:
    """The child's timeline for `times` fresh processes, each on a fresh database, and a bare interpreter's.

    journeybot's own modules are compiled first, as installing a package does; an editable install
    under PYTHONDONTWRITEBYTECODE would otherwise compile them anew in every process."""
    compileall.compile_dir(ROOT, quiet=1, rx=re.compile(r"[/\\](\.venv|\.git|tests)[/\\]"))
    web_api.add_user(LEAD, "lena")
    web_api.add_channel(CHANNEL, "journey-workshop", [LEAD])
    runs = []
    for number in range(times):
        response_url = web_api.response_url(CHANNEL, LEAD)
        spawn = time.monotonic()
        child = _child("ready", web_api.base_url, response_url, f"sqlite:///{workdir / f'startup-{number}.sqlite3'}")
        runs.append({phase: round((moment - spawn) * 1000, 1) if isinstance(moment, float) else moment
                     for phase, moment in child.items()})
    bare = []
    for _ in range(times):
        spawn = time.monotonic()
        out = subprocess.run([sys.executable, "-c", "import time; print(time.monotonic())"], capture_output=True,
                             text=True, check=True).stdout
        bare.append(round((float(out) - spawn) * 1000, 1))
    return {"runs": runs, "bare_interpreter_ms": bare}


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.startup", *args], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# ---- in the child ------------------------------------------------------------------------------------

def _ready(base_url: str, response_url: str, database_url: str) -> dict:
    import secrets

    timeline: dict = {"interpreter": SPAWNED}
    from bot.wiring.app import create_app
    loaded = sorted(m for m in HEAVY_MODULES if m in sys.modules)  # what the app factory pulls in
    from bot.wiring.settings import Settings
    from storage.db import make_engine
    from storage.schema import upgrade
    timeline["imported"] = time.monotonic()
    settings = Settings(bot_token="xoxb-startup", signing_secret=secrets.token_hex(16), database_url=database_url,
                        slack_api_url=base_url)
    engine = make_engine(database_url)
    upgrade(engine)
    timeline["migrated"] = time.monotonic()
    app = create_app(settings, engine)
    timeline["built"] = time.monotonic()
    status = app.dispatch(_signed_help(settings.signing_secret, response_url)).status
    timeline["ready"] = time.monotonic()
    if status != 200:
        raise SystemExit(f"the first request was answered with {status}")
    return {**timeline, "app_factory_imports": loaded}


def _signed_help(signing_secret: str, response_url: str):
    from urllib.parse import urlencode

    from slack_bolt import BoltRequest
    from slack_sdk.signature import SignatureVerifier

    from bot.standin.payloads import AppInstall, slash_command_form
    install = AppInstall("T0JOURNEY", "journey-workshop", "A0JOURNEY", "U0JOURNEYBOT")
    body = urlencode(slash_command_form(
        install, user={"id": LEAD, "name": "lena"}, channel_id=CHANNEL, channel_name="journey-workshop",
        command="/journey", text="help", response_url=response_url, trigger_id="startup.trigger"))
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=timestamp, body=body)
    return BoltRequest(body=body, headers={"content-type": "application/x-www-form-urlencoded",
                                           "x-slack-request-timestamp": timestamp, "x-slack-signature": signature})


if __name__ == "__main__":
    print(json.dumps(_ready(*sys.argv[2:])))
