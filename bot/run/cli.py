"""The `journeybot` command: run the bot, or try it without Slack."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bot.wiring.settings import Settings, SettingsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="journeybot", description="Journey workshops in Slack, asynchronously.")
    commands = parser.add_subparsers(dest="command")  # none: the bot with Slack credentials, else the demo
    run = commands.add_parser("run", help="connect to Slack (Socket Mode, or HTTP with --http)")
    run.add_argument("--http", action="store_true", help="serve Bolt's HTTP endpoint /slack/events instead of Socket Mode")
    run.add_argument("--port", type=int, default=3000)
    serve = commands.add_parser("serve", help="HTTP mode with several worker processes (gunicorn), for many users")
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--threads", type=int, default=8, help="requests each worker handles at once")
    serve.add_argument("--port", type=int, default=3000)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 in a container)")
    db = commands.add_parser("db", help="the database schema")
    db.add_argument("action", choices=["upgrade", "pending"], help="apply pending migrations, or list them")
    demo = commands.add_parser("demo", help="watch a whole workshop in a stand-in for Slack; no tokens needed")
    demo.add_argument("--out", type=Path, help="folder for the summary files (default: journeybot-demo)")
    console = commands.add_parser("console", help="play a workshop by hand in the terminal; no tokens needed")
    for local in (demo, console):
        local.add_argument("--verbose", action="store_true", help="show the bot's log as well")
    return parser


def _engine(settings: Settings, *, migrate: bool):
    from storage.db import make_engine
    from storage.schema import upgrade

    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    return engine


def _run(settings: Settings, args: argparse.Namespace) -> None:
    from bot.wiring.app import create_app

    settings.require_for_run(http=args.http)
    engine = _engine(settings, migrate=True)
    app = create_app(settings, engine)
    if args.http:
        app.start(port=args.port, path="/slack/events")
    else:
        from bot.run.socket_mode import run_socket_mode

        run_socket_mode(app, settings, engine)


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    from bot.run.serve import serve

    serve(settings, host=args.host, port=args.port, workers=args.workers, threads=args.threads)


def _db(settings: Settings, args: argparse.Namespace) -> None:
    from storage.schema import pending_revisions, upgrade

    engine = _engine(settings, migrate=False)
    if args.action == "upgrade":
        upgrade(engine)
        print(f"Database at {engine.url.render_as_string(hide_password=True)} is up to date.")
    else:
        print("\n".join(pending_revisions(engine)) or "No pending migrations.")


def _demo(settings: Settings, args: argparse.Namespace) -> int:
    _quiet_unless(args.verbose)
    from bot.run.demo import DEFAULT_FOLDER, run_demo

    return run_demo(settings, args.out or DEFAULT_FOLDER)


def _console(settings: Settings, args: argparse.Namespace) -> int:
    _quiet_unless(args.verbose)
    from bot.run.console import run_console

    return run_console(settings)


def _quiet_unless(verbose: bool) -> None:
    """The demo and the console print their own story; the bot's log only when asked (set before the
    imports, as some libraries log as they load)."""
    logging.getLogger().setLevel(logging.INFO if verbose else logging.ERROR)


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
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.load()
        status = COMMANDS[args.command](settings, args)
    except SettingsError as error:
        print(f"journeybot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
