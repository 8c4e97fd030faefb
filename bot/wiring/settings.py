"""Settings from the environment and a .env file; wrong or missing ones fail with one clear message."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path

from dotenv import dotenv_values

from flows.custom import Flows, TemplateFileError, load_flows
from flows.texts import available_languages
from storage.db import DEFAULT_DATABASE_URL

SLACK_API_DEFAULT = "https://slack.com/api/"
LOG_LEVELS = ("debug", "info", "warning", "error")
SECRETS = ("bot_token", "signing_secret", "app_token", "client_secret")


class SettingsError(Exception):
    """Says, in one sentence a person can act on, which setting to fix."""


def _on_off(name: str, value: str) -> bool:
    if value.lower() not in ("on", "off"):
        raise SettingsError(f"{name} is {value!r}; set it to on or off.")
    return value.lower() == "on"


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    slack_api_url: str = SLACK_API_DEFAULT
    default_lang: str = "en"
    font_path: str | None = None
    templates_path: str | None = None  # the team's own templates and wording (docs/templates.md)
    health_address: str | None = None  # "[host:]port" for /healthz in Socket Mode (docs/deployment.md)
    log_level: str = "info"
    canvas_default: bool = False  # every workshop gets a canvas unless started with canvas:off

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, env_file: str | Path = ".env") -> Settings:
        """The environment wins over the .env file, as python-dotenv does by default."""
        get = _reader(environ, env_file)
        settings = cls(
            bot_token=get("SLACK_BOT_TOKEN"), signing_secret=get("SLACK_SIGNING_SECRET"),
            app_token=get("SLACK_APP_TOKEN"), client_id=get("SLACK_CLIENT_ID"),
            client_secret=get("SLACK_CLIENT_SECRET"),
            database_url=get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            slack_api_url=get("SLACK_API_URL") or SLACK_API_DEFAULT,
            default_lang=get("JOURNEYBOT_LANG") or "en",
            font_path=get("JOURNEYBOT_FONT"),
            templates_path=get("JOURNEYBOT_TEMPLATES"),
            health_address=get("JOURNEYBOT_HEALTH_PORT"),
            log_level=(get("JOURNEYBOT_LOG_LEVEL") or "info").lower(),
            canvas_default=_on_off("JOURNEYBOT_CANVAS", get("JOURNEYBOT_CANVAS") or "off"),
        )
        settings.check()
        return settings

    @staticmethod
    def wants_debug(environ: Mapping[str, str] | None = None, env_file: str | Path = ".env") -> bool:
        """JOURNEYBOT_LOG_LEVEL=debug, read on its own: it decides whether a failed start shows its traceback,
        even when another setting is what failed."""
        return (_reader(environ, env_file)("JOURNEYBOT_LOG_LEVEL") or "").lower() == "debug"

    def __repr__(self) -> str:
        """Secrets show only whether they are set; the database URL without its password."""
        shown = []
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name in SECRETS and value:
                value = "<set>"
            elif field.name == "database_url":
                value = self.database_display
            shown.append(f"{field.name}={value!r}")
        return f"Settings({', '.join(shown)})"

    @property
    def database_display(self) -> str:
        """DATABASE_URL fit for a log line: the password hidden."""
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            return make_url(self.database_url).render_as_string(hide_password=True)
        except (ArgumentError, ValueError):
            return "<not a database URL>"

    @property
    def uses_oauth(self) -> bool:
        """Many workspaces, each installing the app through /slack/install, instead of one bot token."""
        return bool(self.client_id)

    @property
    def has_slack_credentials(self) -> bool:
        return bool(self.bot_token or self.client_id)

    @cached_property
    def flows(self) -> Flows:
        """The steps, templates and wording the bot runs with: the standard ones and the team's file."""
        try:
            return load_flows(self.templates_path, default_lang=self.default_lang)
        except TemplateFileError as error:
            raise SettingsError(f"JOURNEYBOT_TEMPLATES: {error}") from None

    @property
    def health_host_port(self) -> tuple[str, int]:
        """JOURNEYBOT_HEALTH_PORT as (host, port): "8080" listens on 127.0.0.1, "0.0.0.0:8080" everywhere."""
        host, _, port = (self.health_address or "").rpartition(":")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise SettingsError(f"JOURNEYBOT_HEALTH_PORT is {self.health_address!r}; set it to a port such as 8080, "
                                "or host:port such as 0.0.0.0:8080.")
        return host or "127.0.0.1", int(port)

    def check(self) -> None:
        if self.default_lang not in available_languages():
            raise SettingsError(f"JOURNEYBOT_LANG is {self.default_lang!r}; set it to one of: "
                                f"{', '.join(available_languages())}.")
        if not self.slack_api_url.startswith(("http://", "https://")):
            raise SettingsError(f"SLACK_API_URL must be an http(s) URL ending in /api/, not {self.slack_api_url!r}.")
        if self.font_path and not Path(self.font_path).is_file():
            raise SettingsError(f"JOURNEYBOT_FONT points to {self.font_path!r}, which is not a file.")
        if self.health_address:
            self.health_host_port  # a wrong value stops the bot at start-up
        if self.log_level not in LOG_LEVELS:
            raise SettingsError(f"JOURNEYBOT_LOG_LEVEL is {self.log_level!r}; set it to one of: {', '.join(LOG_LEVELS)}.")
        self.flows  # a wrong templates file stops the bot at start-up, not in a workshop
        for name, value, prefix in (("SLACK_BOT_TOKEN", self.bot_token, "xoxb-"),
                                    ("SLACK_APP_TOKEN", self.app_token, "xapp-")):
            if value and not value.startswith(prefix):
                raise SettingsError(f"{name} should start with {prefix!r}; copy it again from your app's settings page.")

    def require_for_run(self, *, http: bool) -> None:
        """What `journeybot run` needs: a signing secret always, and Socket Mode's app token unless HTTP."""
        missing = []
        if not self.has_slack_credentials:
            missing.append("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for many workspaces)")
        if not self.signing_secret:
            missing.append("SLACK_SIGNING_SECRET")
        if not http and not self.app_token:
            missing.append("SLACK_APP_TOKEN (or run with --http)")
        if self.client_id and not self.client_secret:
            missing.append("SLACK_CLIENT_SECRET")
        if self.uses_oauth and not http:
            missing.append("--http (installing in many workspaces needs /slack/install and /slack/oauth_redirect)")
        if missing:
            raise SettingsError("journeybot needs these settings (in the environment or .env; see .env.example): "
                                + "; ".join(missing) + ". To try it without Slack, run `journeybot demo`.")


def _reader(environ: Mapping[str, str] | None, env_file: str | Path):
    """get(NAME): the setting's value with blanks stripped, or None; the environment wins over the .env file."""
    values = {**dotenv_values(env_file), **(os.environ if environ is None else environ)}

    def get(name: str) -> str | None:
        return (values.get(name) or "").strip() or None

    return get
