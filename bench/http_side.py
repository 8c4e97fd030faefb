"""One side of the HTTP benchmark in its own process: journeybot, or the floor (a bare Bolt app of the same
shape), served by the server `journeybot serve` runs (gunicorn, one gthread worker).

    python -m bench.http_side journeybot|floor PORT SLACK_API_URL SIGNING_SECRET DATABASE_URL

The floor is bench/floor.py.
"""
from __future__ import annotations

import os
import sys
import tracemalloc

THREADS = 8


def floor_wsgi(api_url: str, signing_secret: str):
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    from bench.floor import floor_app

    return SlackRequestHandler(floor_app(api_url, signing_secret), path="/slack/events")


def journeybot_wsgi(api_url: str, signing_secret: str, database_url: str):
    from bot.run.wsgi import make_wsgi_app
    from bot.wiring.settings import Settings

    return make_wsgi_app(Settings(bot_token="xoxb-bench", signing_secret=signing_secret, slack_api_url=api_url,
                                  database_url=database_url))


def dump_heap_on_sigusr1() -> None:
    """With `python -X tracemalloc`, SIGUSR1 writes the traced heap's growth since the previous signal to
    heap-PID.txt: how the bench found what kept memory growing from one summary to the next."""
    import signal
    import tracemalloc
    from pathlib import Path

    previous = []

    def dump(*_):
        snapshot = tracemalloc.take_snapshot()
        lines = [f"traced {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MiB"]
        if previous:
            lines += [str(stat) for stat in snapshot.compare_to(previous[-1], "lineno")[:25]]
        previous[:] = [snapshot]
        with Path(f"heap-{os.getpid()}.txt").open("a") as out:
            out.write("\n".join(lines) + "\n\n")

    signal.signal(signal.SIGUSR1, dump)


def main(side: str, port: str, api_url: str, signing_secret: str, database_url: str) -> None:
    from gunicorn.app.base import BaseApplication

    if side == "journeybot":  # as `journeybot serve` does before its workers start
        from storage.db import make_engine
        from storage.schema import upgrade
        upgrade(make_engine(database_url))

    class Server(BaseApplication):
        def load_config(self) -> None:
            for name, value in {"bind": f"127.0.0.1:{port}", "workers": 1, "worker_class": "gthread",
                                "threads": THREADS, "loglevel": "warning", "timeout": 60}.items():
                self.cfg.set(name, value)

        def load(self):
            if tracemalloc.is_tracing():
                dump_heap_on_sigusr1()
            if side == "floor":
                return floor_wsgi(api_url, signing_secret)
            return journeybot_wsgi(api_url, signing_secret, database_url)

    Server().run()


if __name__ == "__main__":
    main(*sys.argv[1:])
