"""The `journeybot` command: run the bot, or try it without Slack."""
from __future__ import annotations

import argparse
import logging
import sys

from bot.settings import Settings, SettingsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="journeybot", description="Journey workshops in Slack, asynchronously.")
    commands = parser.add_subparsers(dest="command", required=True)
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
    return parser


def _engine(settings: Settings, *, migrate: bool):
    from storage.db import make_engine
    from storage.schema import upgrade

    engine = make_engine(settings.database_url)
    if migrate:
        upgrade(engine)
    return engine


def _run(settings: Settings, args: argparse.Namespace) -> None:
    from bot.app import create_app

    settings.require_for_run(http=args.http)
    app = create_app(settings, _engine(settings, migrate=True))
    if args.http:
        app.start(port=args.port, path="/slack/events")
    else:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        SocketModeHandler(app, settings.app_token).start()


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    from bot.serve import serve

    serve(settings, host=args.host, port=args.port, workers=args.workers, threads=args.threads)


def _db(settings: Settings, args: argparse.Namespace) -> None:
    from storage.schema import pending_revisions, upgrade

    engine = _engine(settings, migrate=False)
    if args.action == "upgrade":
        upgrade(engine)
        print(f"Database at {engine.url.render_as_string(hide_password=True)} is up to date.")
    else:
        print("\n".join(pending_revisions(engine)) or "No pending migrations.")


COMMANDS = {"run": _run, "serve": _serve, "db": _db}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.load()
        COMMANDS[args.command](settings, args)
    except SettingsError as error:
        print(f"journeybot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
