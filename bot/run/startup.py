"""What every start does before serving: logging, the database, Slack; each failure as one sentence.

A start-up failure an operator can fix (a refused token, an unreachable Slack or database, a driver
that is not installed) becomes a SettingsError naming the setting; `journeybot` prints it without a
traceback unless asked for one (`--debug` or JOURNEYBOT_LOG_LEVEL=debug), and exits with status 2,
or 3 when Slack or the database did not answer (Unreachable), which a later try may get past.
"""
from __future__ import annotations

import ctypes
import logging
import os
from urllib.error import URLError

from slack_sdk.errors import SlackApiError
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from bot.wiring.settings import Settings, SettingsError


class Unreachable(SettingsError):
    """Slack or the database did not answer: the setting may be right and the service down, so trying
    again later may help (exit status 3), where a wrong setting (2) needs a person."""


LOG_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
log = logging.getLogger("journeybot")
# The start-up auth.test logs its retries here: the failure is said once, in the sentence.
slack_check_log = logging.getLogger("journeybot.startup.slack")


MALLOC_ARENAS = 2
M_ARENA_MAX = -8  # glibc's mallopt parameter number (malloc.h)


def limit_malloc_arenas() -> None:
    """For a serving process: at most MALLOC_ARENAS malloc arenas, unless the operator set MALLOC_ARENA_MAX.

    glibc gives threads that allocate at the same time arenas of their own, up to eight per core, and
    keeps what each arena once held. Every listener thread that builds a summary with pictures took one,
    so the worker's memory grew over its first twenty summaries (bench/: 138 → 152 MB over 100); with two
    arenas it stays within a few MB. Other C libraries (musl, macOS) have no such knob and need none."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(M_ARENA_MAX, MALLOC_ARENAS)


def configure_logging(level: str) -> None:
    """One format for journeybot, Bolt and gunicorn (serve.py); the chatter of libraries only at debug."""
    logging.basicConfig(level=level.upper(), format=LOG_FORMAT, force=True)
    quiet = logging.DEBUG if level == "debug" else logging.WARNING
    logging.getLogger("alembic").setLevel(quiet)  # a dozen INFO lines per start otherwise
    slack_check_log.setLevel(logging.DEBUG if level == "debug" else logging.CRITICAL)
    logging.getLogger("slack_bolt.App").addFilter(_bolt_start_chatter)  # added once, however often called


def _bolt_start_chatter(record: logging.LogRecord) -> bool:
    """False for what Bolt says at every start: that it runs (log_start says more), and, as it also reads
    SLACK_BOT_TOKEN from the environment, that our client (which carries that same token) wins."""
    from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
    from slack_bolt.util.utils import get_boot_message

    said = record.getMessage()
    return said not in (warning_client_prioritized_and_token_skipped(), get_boot_message(),
                        get_boot_message(development_server=True))


def open_database(settings: Settings, *, migrate: bool) -> Engine:
    """The engine for DATABASE_URL, migrated when asked; it has answered once, or this says why not."""
    from storage.db import make_engine
    from storage.schema import upgrade

    try:
        url = make_url(settings.database_url)
    except (ArgumentError, ValueError):
        raise SettingsError("DATABASE_URL is not a database URL; write it as postgresql+psycopg://user:password@"
                            "host:5432/journeybot or sqlite:///journeybot.sqlite3.") from None
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (ModuleNotFoundError, NoSuchModuleError):
        install = "pip install 'journeybot[postgres]'" if url.drivername == "postgresql+psycopg" \
            else "install it, or use postgresql+psycopg:// with pip install 'journeybot[postgres]'"
        raise SettingsError(f"DATABASE_URL needs the database driver {url.get_driver_name()!r}, which is not "
                            f"installed: {install}.") from None
    except OperationalError as error:
        raise _database_error(settings, error) from error
    if migrate:
        upgrade(engine)
    return engine


def _database_error(settings: Settings, error: OperationalError) -> Unreachable:
    """Refused, no such database or user, or no answer: psycopg says which only in words, so all count as
    worth another try (a wrong password keeps failing, with this sentence in the log)."""
    reason = str(error.orig).strip().splitlines()[0]
    return Unreachable(f"Cannot use the database at {settings.database_display} ({reason}); "
                       "check DATABASE_URL and that the database server is running.")


def check_slack(settings: Settings) -> str:
    """Asks Slack whose the bot token is (auth.test); returns which workspaces it serves, for the start line."""
    from bot.wiring.app import make_web_client

    if settings.uses_oauth:
        return "every workspace that installs it (OAuth)"
    try:
        identity = make_web_client(settings, logger=slack_check_log).auth_test()
    except SlackApiError as error:
        raise SettingsError(f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}); copy the Bot User "
                            "OAuth Token (xoxb-…) again from your app's OAuth & Permissions page.") from error
    except (URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise Unreachable(f"Slack does not answer at {settings.slack_api_url} ({reason}); check the network, "
                          "or SLACK_API_URL if you set it.") from error
    return f"workspace {identity.get('team')} ({identity.get('team_id')})"


def log_start(mode: str, settings: Settings, workspaces: str) -> None:
    """The one INFO line a start writes: what runs where."""
    log.info("journeybot %s; database %s; %s", mode, settings.database_display, workspaces)
