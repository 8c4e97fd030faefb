"""Coalescing: work for one key (the count on one prompt) runs at most once per interval, however many
requests for it arrive. A burst of fifty answers updates a prompt twice, not fifty times: Slack rate-limits
`chat.update`, and each update costs more than storing the answer did."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable

Submit = Callable[[Callable[[], None]], object]


class Coalescer:
    def __init__(self, interval: float, submit: Submit):
        self.interval = interval
        self._submit = submit
        self._lock = threading.Lock()
        self._due: set[Hashable] = set()  # a run is queued or waiting: it will see every change made before it starts
        self._last_start: dict[Hashable, float] = {}

    def request(self, key: Hashable, work: Callable[[], None]) -> None:
        with self._lock:
            if key in self._due:
                return
            self._due.add(key)
            now = time.monotonic()
            self._forget_before(now - self.interval)
            delay = self._last_start.get(key, now - self.interval) + self.interval - now
        run = lambda: self._run(key, work)  # noqa: E731
        if delay <= 0:
            self._submit(run)
        else:  # the trailing run of a burst
            timer = threading.Timer(delay, self._submit, (run,))
            timer.daemon = True
            timer.start()

    def _run(self, key: Hashable, work: Callable[[], None]) -> None:
        with self._lock:
            self._due.discard(key)
            self._last_start[key] = time.monotonic()
        work()

    def _forget_before(self, moment: float) -> None:
        for key in [key for key, started in self._last_start.items() if started < moment and key not in self._due]:
            del self._last_start[key]
