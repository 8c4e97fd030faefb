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
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future

from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.run.startup import configure_logging, limit_malloc_arenas, log
from bot.wiring.app import create_app
from bot.wiring.settings import Settings, SettingsError
from storage.db import make_engine, ping

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
HEALTH_TIMEOUT_SECONDS = 3
GUNICORN_WORKER_BOOT_ERROR = 3  # the exit status that makes gunicorn's master halt ("Worker failed to boot")

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def make_wsgi_app(settings: Settings, *, listener_executor: Executor | None = None) -> WSGIApp:
    limit_malloc_arenas()
    engine = make_engine(settings.database_url)
    slack = SlackRequestHandler(create_app(settings, engine, listener_executor=listener_executor), path=EVENTS_PATH)
    probe = DatabaseProbe(engine)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HEALTH_PATH and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return health(probe, start_response)
        return slack(environ, start_response)

    return application


class DatabaseProbe:
    """Asks the database for SELECT 1 in a thread of its own and waits a few seconds at most.

    A host that stops answering (paused, partitioned) leaves a pooled connection waiting for a reply
    that never comes; the health check must still answer. While one question is unanswered, every
    health check waits on that same one, so a silent database holds one thread, not one per check;
    when the database answers again, so does the next check.
    """

    def __init__(self, engine: Engine, timeout: float = HEALTH_TIMEOUT_SECONDS):
        self.engine, self.timeout = engine, timeout
        self._lock = threading.Lock()
        self._asking: Future | None = None

    def problem(self) -> str | None:
        """None when the database answered, else what went wrong."""
        with self._lock:
            if self._asking is None or self._asking.done():
                self._asking = Future()
                threading.Thread(target=self._ask, args=(self._asking,), name="healthz", daemon=True).start()
            asking = self._asking
        try:
            asking.result(timeout=self.timeout)
        except TimeoutError:
            return f"database: no answer within {self.timeout:g} s"
        except SQLAlchemyError as error:
            return f"database: {type(error).__name__}"
        return None

    def _ask(self, answer: Future) -> None:
        try:
            ping(self.engine)
        except Exception as error:  # handed to the health check that waits for it
            answer.set_exception(error)
        else:
            answer.set_result(None)


def health(probe: DatabaseProbe, start_response: Callable, *, connection_problem: str | None = None) -> Iterable[bytes]:
    """200 when the database answers, 503 when it does not: a worker that cannot store answers is not healthy.

    Socket Mode adds its own problem (not connected to Slack), which makes it 503 as well.
    """
    problem = probe.problem() or connection_problem
    status = "503 Service Unavailable" if problem else "200 OK"
    body = {"ok": False, "error": problem} if problem else {"ok": True}
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload))),
                            ("Cache-Control", "no-store")])
    return [payload]


def app() -> WSGIApp:
    """gunicorn's application factory (`gunicorn 'bot.run.wsgi:app()'`): settings from the environment and .env."""
    try:
        settings = Settings.load()
        configure_logging(settings.log_level)
        settings.require_for_run(http=True)
    except SettingsError as error:
        log.error("%s", error)
        raise SystemExit(GUNICORN_WORKER_BOOT_ERROR) from None  # gunicorn then stops, instead of retrying workers
    return make_wsgi_app(settings)
