"""The `journeybot` command: run the bot, or try it without Slack."""
from __future__ import annotations

import argparse
import logging
import sys
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bot.run.startup import Unreachable, check_slack, configure_logging, log_start, open_database
from bot.wiring.settings import Settings, SettingsError


class _HelpWithDefaults(argparse.ArgumentDefaultsHelpFormatter):
    """--help shows each option's default, except where there is none to show."""

    def _get_help_string(self, action: argparse.Action) -> str:
        return action.help if action.default in (None, False) else super()._get_help_string(action)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="journeybot", description="Journey workshops in Slack, asynchronously.",
                                     formatter_class=_HelpWithDefaults)
    parser.add_argument("--version", action="version", version=f"journeybot {_version()}")
    parser.add_argument("--debug", action="store_true", help="log everything, and show the traceback behind "
                                                             "a failed start (as JOURNEYBOT_LOG_LEVEL=debug)")
    # --debug after the subcommand too; SUPPRESS keeps a subcommand from resetting one given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command")  # none: the bot with Slack credentials, else the demo

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, description=help, parents=[common],
                                   formatter_class=_HelpWithDefaults)

    run = command("run", "connect to Slack: Socket Mode, or HTTP with --http (for development; `serve` in production)")
    run.add_argument("--http", action="store_true",
                     help="serve /slack/events with Bolt's development HTTP server (one process, a short queue); "
                          "in production use `journeybot serve`")
    run.add_argument("--port", type=int, default=3000, help="port to listen on with --http")
    serve = command("serve", "HTTP mode for production: gunicorn with several worker processes")
    serve.add_argument("--workers", type=int, help="worker processes (default: 2 on PostgreSQL; SQLite takes 1)")
    serve.add_argument("--threads", type=int, default=8, help="requests each worker handles at once")
    serve.add_argument("--port", type=int, default=3000, help="port to listen on")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 in a container)")
    db = command("db", "the database schema")
    db.add_argument("action", choices=["upgrade", "pending"], help="apply pending migrations, or list them")
    demo = command("demo", "watch a whole workshop in a stand-in for Slack; no tokens needed")
    demo.add_argument("--out", type=Path, help="folder for the summary files (default: journeybot-demo)")
    console = command("console", "play a workshop by hand in the terminal; no tokens needed")
    for local in (demo, console):
        local.add_argument("--verbose", action="store_true", help="show the bot's log as well")
    return parser


def _version() -> str:
    try:
        return version("journeybot")
    except PackageNotFoundError:  # run from a checkout that was not installed
        return "(not installed)"


def _run(settings: Settings, args: argparse.Namespace) -> None:
    from bot.wiring.app import create_app

    settings.require_for_run(http=args.http)
    workspaces = check_slack(settings)
    engine = open_database(settings, migrate=True)
    app = create_app(settings, engine)
    log_start(f"run: HTTP on port {args.port} (development server)" if args.http else "run: Socket Mode",
              settings, workspaces)
    if args.http:
        app.start(port=args.port, path="/slack/events")
    else:
        from bot.run.socket_mode import run_socket_mode

        run_socket_mode(app, settings, engine)


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    from bot.run.serve import serve

    serve(settings, host=args.host, port=args.port, workers=args.workers, threads=args.threads)


def _db(settings: Settings, args: argparse.Namespace) -> None:
    from storage.schema import pending_revisions

    if args.action == "upgrade":
        open_database(settings, migrate=True)
        print(f"Database at {settings.database_display} is up to date.")
    elif _sqlite_file_missing(settings.database_url):  # a read-only command creates no file
        print("\n".join(pending_revisions(None)))
    else:
        print("\n".join(pending_revisions(open_database(settings, migrate=False))) or "No pending migrations.")


def _sqlite_file_missing(database_url: str) -> bool:
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    return url.get_backend_name() == "sqlite" and bool(url.database) and url.database != ":memory:" \
        and not Path(url.database).exists()


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    _quiet_unless(args.verbose or args.debug)
    from bot.run.demo import DEFAULT_FOLDER, run_demo

    return run_demo(settings, args.out or DEFAULT_FOLDER)


def _console(settings: Settings, args: argparse.Namespace) -> int:
    _quiet_unless(args.verbose or args.debug)
    from bot.run.console import run_console

    return run_console(settings)


def _quiet_unless(verbose: bool) -> None:
    """The demo and the console print their own story; the bot's log only when asked (set before the
    imports, as some libraries log as they load)."""
    if not verbose:
        logging.getLogger().setLevel(logging.ERROR)


def _bare(settings: Settings, args: argparse.Namespace) -> int | None:
    """`journeybot` alone: the real bot when Slack credentials are set, otherwise the demo."""
    if settings.has_slack_credentials:
        return _run(settings, _parser().parse_args(["run"]))
    from flows.texts import load_pack

    print(load_pack(settings.default_lang).text("demo.no_tokens"), flush=True)
    return _demo(settings, _parser().parse_args(["demo"]))


COMMANDS = {None: _bare, "run": _run, "serve": _serve, "db": _db, "demo": _demo, "console": _console}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    debug = args.debug or Settings.wants_debug()
    try:
        settings = Settings.load()
        configure_logging("debug" if debug else settings.log_level)
        status = COMMANDS[args.command](settings, args)
    except SettingsError as error:  # a start-up failure the operator can fix: one sentence
        if debug:
            traceback.print_exc()
        print(f"journeybot: {error}", file=sys.stderr)
        return 3 if isinstance(error, Unreachable) else 2
    except KeyboardInterrupt:
        return 130
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
