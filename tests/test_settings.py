"""Settings: .env.example names exactly what the bot reads, and a wrong setting is one clear sentence."""
import re
from pathlib import Path

import pytest

from bot.wiring.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[1]


def test_env_example_lists_exactly_the_settings_the_bot_reads():
    read = set(re.findall(r'get\("([A-Z_]+)"\)', (ROOT / "bot" / "wiring" / "settings.py").read_text()))
    listed = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert listed == read


@pytest.mark.parametrize("environ, says", [
    ({"SLACK_BOT_TOKEN": "xapp-wrong"}, "SLACK_BOT_TOKEN should start with 'xoxb-'"),
    ({"JOURNEYBOT_LANG": "fr"}, "JOURNEYBOT_LANG is 'fr'; set it to one of: en, nl."),
    ({"SLACK_API_URL": "slack.com"}, "SLACK_API_URL must be an http(s) URL"),
    ({"JOURNEYBOT_FONT": "/nowhere/font.ttf"}, "JOURNEYBOT_FONT points to '/nowhere/font.ttf', which is not a file."),
    ({"JOURNEYBOT_HEALTH_PORT": "localhost"}, "JOURNEYBOT_HEALTH_PORT is 'localhost'; set it to a port such as 8080"),
    ({"JOURNEYBOT_HEALTH_PORT": "0.0.0.0:99999"}, "JOURNEYBOT_HEALTH_PORT is '0.0.0.0:99999'"),
])
def test_a_wrong_setting_is_named_with_what_to_do(tmp_path, environ, says):
    with pytest.raises(SettingsError, match=re.escape(says)):
        Settings.load(environ, env_file=tmp_path / "none.env")


def test_running_without_credentials_says_which_settings_to_set(tmp_path):
    settings = Settings.load({}, env_file=tmp_path / "none.env")
    with pytest.raises(SettingsError) as refused:
        settings.require_for_run(http=False)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "journeybot demo"):
        assert name in str(refused.value)


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("JOURNEYBOT_LANG=nl\nDATABASE_URL=sqlite:///from-file.sqlite3\n")
    settings = Settings.load({"DATABASE_URL": "sqlite:///from-env.sqlite3"}, env_file=env_file)
    assert (settings.default_lang, settings.database_url) == ("nl", "sqlite:///from-env.sqlite3")
