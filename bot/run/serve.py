"""`journeybot serve`: gunicorn running bot.run.wsgi in several worker processes, for HTTP mode behind a
load balancer, all sharing one PostgreSQL database.

The master applies pending migrations once, before it forks; gunicorn then loads the app in each worker
after the fork, so every worker has its own engine and connections.
"""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from bot.wiring.settings import Settings
from bot.run.wsgi import make_wsgi_app
from storage.db import make_engine
from storage.schema import upgrade


class Server(BaseApplication):
    def __init__(self, settings: Settings, options: dict):
        self.settings, self.options = settings, options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self):
        return make_wsgi_app(self.settings)  # in the worker, after the fork (preload_app is off)


def serve(settings: Settings, *, host: str, port: int, workers: int, threads: int) -> None:
    settings.require_for_run(http=True)
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()  # the master keeps no connection a worker could inherit
    Server(settings, {
        "bind": f"{host}:{port}", "workers": workers, "worker_class": "gthread", "threads": threads,
        "preload_app": False,
        # Bolt answers Slack within 3 s and finishes listeners in the background; a worker is stuck only after this.
        "timeout": 60, "graceful_timeout": 30,
    }).run()
