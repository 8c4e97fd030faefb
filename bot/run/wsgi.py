"""journeybot as a WSGI application, for gunicorn (or any WSGI server) running several worker processes.

`journeybot serve --workers 4` is the usual way in. With gunicorn's own command line:

    journeybot db upgrade          # once, before the workers start: they do not migrate
    gunicorn 'bot.run.wsgi:app()' --workers 4 --worker-class gthread --threads 8 --bind 127.0.0.1:3000

Do not add --preload: each worker must build its engine and app itself, after the fork, so that no
database connection is shared between processes. `app()` is called once in every worker.

Paths: POST /slack/events (events, interactivity and /journey all come here), GET /slack/install and
/slack/oauth_redirect when OAuth is configured, and GET /healthz for load balancers.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import Executor

from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.wiring.app import create_app
from bot.wiring.settings import Settings
from storage.db import make_engine, ping

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def make_wsgi_app(settings: Settings, *, listener_executor: Executor | None = None) -> WSGIApp:
    engine = make_engine(settings.database_url)
    slack = SlackRequestHandler(create_app(settings, engine, listener_executor=listener_executor), path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return health(engine, start_response)
        return slack(environ, start_response)

    return application


def health(engine: Engine, start_response: Callable, *, connection_problem: str | None = None) -> Iterable[bytes]:
    """200 when the database answers, 503 when it does not: a worker that cannot store answers is not healthy.

    Socket Mode adds its own problem (not connected to Slack), which makes it 503 as well.
    """
    try:
        ping(engine)
        problem = connection_problem
    except SQLAlchemyError as error:
        problem = f"database: {type(error).__name__}"
    status, body = ("503 Service Unavailable", {"ok": False, "error": problem}) if problem else ("200 OK", {"ok": True})
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload))),
                            ("Cache-Control", "no-store")])
    return [payload]


def app() -> WSGIApp:
    """gunicorn's application factory (`gunicorn 'bot.run.wsgi:app()'`): settings from the environment and .env."""
    settings = Settings.load()
    settings.require_for_run(http=True)
    return make_wsgi_app(settings)
