"""TrackingExecutor: Bolt's listener thread pool, with a way to wait until every listener has finished.

Bolt acks first and runs listeners afterwards in its `listener_executor`, so a test that has just sent
a request must wait for that pool to drain before it looks at the workspace.
"""

from __future__ import annotations

import threading
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, Callable


class TrackingExecutor(Executor):
    def __init__(self, max_workers: int = 5):
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="bolt-listener")
        self._pending = 0
        self._idle = threading.Condition()
        self.errors: list[BaseException] = []  # exceptions that escaped a submitted task

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        with self._idle:
            self._pending += 1
        try:
            future = self._pool.submit(fn, *args, **kwargs)
        except BaseException:
            self._task_done()
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: Future) -> None:
        if not future.cancelled() and future.exception() is not None:
            self.errors.append(future.exception())
        self._task_done()

    def _task_done(self) -> None:
        with self._idle:
            self._pending -= 1
            if self._pending == 0:
                self._idle.notify_all()

    def wait_idle(self, timeout: float = 10) -> None:
        """Block until no task is queued or running (tasks may submit more tasks); TimeoutError after `timeout`."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._pending == 0, timeout=timeout):
                raise TimeoutError(f"{self._pending} listener task(s) still running after {timeout} s")

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
