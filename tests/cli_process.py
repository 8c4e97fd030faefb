"""`journeybot` as a separate process, as a newcomer runs it: no Slack settings unless given, no .env."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET",
            "DATABASE_URL", "SLACK_API_URL", "JOURNEYBOT_LANG", "JOURNEYBOT_FONT",
            "JOURNEYBOT_TEMPLATES", "JOURNEYBOT_LOG_LEVEL")


def journeybot(*args: str, cwd: Path, input: str | None = None, **settings: str) -> subprocess.CompletedProcess:
    """`journeybot <args>` in ``cwd`` (a folder without .env) with only the given settings, fed ``input``."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS}
    env |= {"PYTHONPATH": str(ROOT), **settings}
    return subprocess.run([sys.executable, "-m", "bot.run.cli", *args], check=False, cwd=cwd, env=env, input=input,
                          capture_output=True, text=True, timeout=120)
