"""`journeybot serve`: gunicorn running bot.run.wsgi in several worker processes, for HTTP mode behind a
load balancer, all sharing one PostgreSQL database.

The master applies pending migrations and checks the bot token once, before it forks; gunicorn then
loads the app in each worker after the fork, so every worker has its own engine and connections.
"""
from __future__ import annotations

import logging

from sqlalchemy.engine import make_url

from bot.run.startup import LOG_FORMAT, check_slack, log_start, open_database
from bot.wiring.settings import Settings, SettingsError

SQLITE_WORKERS = 1  # SQLite takes one writer process
POSTGRES_WORKERS = 2


def serve(settings: Settings, *, host: str, port: int, workers: int | None, threads: int) -> None:
    settings.require_for_run(http=True)
    workers = _workers(settings, workers)
    try:
        from gunicorn.app.base import BaseApplication
        from gunicorn.glogging import Logger
    except ModuleNotFoundError:
        raise SettingsError("journeybot serve runs on gunicorn, which is not installed: "
                            "pip install 'journeybot[server]'.") from None
    workspaces = check_slack(settings)
    open_database(settings, migrate=True).dispose()  # the master keeps no connection a worker could inherit
    log_start(f"serve: HTTP on {host}:{port}, {workers} worker(s) × {threads} threads", settings, workspaces)

    class Log(Logger):
        error_fmt, datefmt = LOG_FORMAT, None  # gunicorn's own lines in journeybot's format

    class Server(BaseApplication):
        def load_config(self) -> None:
            for name, value in _gunicorn_options(host=host, port=port, workers=workers, threads=threads).items():
                self.cfg.set(name, value)
            self.cfg.set("logger_class", Log)

        def load(self):
            from bot.run.wsgi import make_wsgi_app

            return make_wsgi_app(settings)  # in the worker, after the fork (preload_app is off)

    Server().run()


def _workers(settings: Settings, asked: int | None) -> int:
    on_sqlite = make_url(settings.database_url).get_backend_name() == "sqlite"
    if asked is None:
        return SQLITE_WORKERS if on_sqlite else POSTGRES_WORKERS
    if on_sqlite and asked > SQLITE_WORKERS:
        raise SettingsError(f"SQLite takes one writer process, so --workers {asked} needs DATABASE_URL set to a "
                            "PostgreSQL database (or run --workers 1).")
    return asked


def _gunicorn_options(*, host: str, port: int, workers: int, threads: int) -> dict:
    level = "debug" if logging.getLogger().isEnabledFor(logging.DEBUG) else "warning"  # its boot lines only at debug
    return {
        "bind": f"{host}:{port}", "workers": workers, "worker_class": "gthread", "threads": threads,
        "preload_app": False,
        # Bolt answers Slack within 3 s and finishes listeners in the background; a worker is stuck only after this.
        "timeout": 60, "graceful_timeout": 30,
        "loglevel": level,
    }
