"""Group commit: units of work that arrive together in one process share one SQLite transaction and commit.

SQLite takes one writer at a time, and every commit waits for the disk. Eight answers arriving at once
would commit one after the other; instead, one of their threads at a time leads: it takes the write lock,
runs every unit queued by then and commits them together, while the others wait for that commit (the first
unit queued meanwhile leads the next batch). A unit's work runs on whichever thread leads, so it must not hand
in another grouped unit itself (it would wait for its own batch), and it may run twice: it touches nothing
but the session.

Each caller gets back only once the commit holding its work succeeded: its own result, or its own exception.
When a unit fails, or the shared commit does, the batch is rolled back and each of its units runs again in
a transaction of its own: each caller gets what it would have got alone, and nothing of a failed unit is
kept.

PostgreSQL commits concurrent transactions side by side: there each unit is simply its own transaction.
"""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.db import sqlite_writer, unit_of_work

T = TypeVar("T")
_NOT_RUN = object()


class _Unit(Generic[T]):
    def __init__(self, work: Callable[[Session], T]):
        self.work = work
        self.result: Any = _NOT_RUN
        self.error: BaseException | None = None
        self.leads = False  # its thread commits the next batch
        self.ready = threading.Event()  # committed (or failed), or asked to lead

    def outcome(self) -> T:
        if self.error is not None:
            raise self.error
        assert self.result is not _NOT_RUN, "a grouped unit of work was never run"
        return self.result


class _Queue:
    """The units waiting for a commit, and whether one of their threads is committing a batch already."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.units: list[_Unit] = []
        self.leading = False

    def join(self, unit: _Unit) -> None:
        with self.lock:
            self.units.append(unit)
            unit.leads = not self.leading
            self.leading = True

    def take_all(self) -> list[_Unit]:
        with self.lock:
            units, self.units = self.units, []
        return units

    def hand_over(self) -> None:
        """The next batch is led by the first unit queued meanwhile (its thread waits for it anyway)."""
        with self.lock:
            self.leading = bool(self.units)
            if self.units:
                self.units[0].leads = True
                self.units[0].ready.set()


_QUEUES: weakref.WeakKeyDictionary[Engine, _Queue] = weakref.WeakKeyDictionary()
_QUEUES_LOCK = threading.Lock()


def run_grouped(engine: Engine, work: Callable[[Session], T]) -> T:
    """``work(session)``, committed, perhaps together with other threads' work; its result, or what it raised
    (or the commit's failure)."""
    writer = sqlite_writer(engine)
    if writer is None:
        with unit_of_work(engine) as session:
            return work(session)
    queue = _queue_of(engine)
    unit = _Unit(work)
    queue.join(unit)
    if not unit.leads:
        unit.ready.wait()  # a leading thread commits this unit, or hands the lead to it
    if unit.leads:
        try:
            with writer:  # other units of work (commands, follow-ups) take it too
                _commit(engine, queue.take_all())
        finally:
            queue.hand_over()
    return unit.outcome()


def _queue_of(engine: Engine) -> _Queue:
    queue = _QUEUES.get(engine)
    if queue is None:
        with _QUEUES_LOCK:
            queue = _QUEUES.setdefault(engine, _Queue())
    return queue


def _commit(engine: Engine, batch: list[_Unit]) -> None:
    try:
        _run_together(engine, batch)
    except BaseException as error:  # interrupted: none of the batch is known to be stored
        for unit in batch:
            if unit.error is None and unit.result is _NOT_RUN:
                unit.error = error
    finally:
        for unit in batch:
            unit.ready.set()


def _run_together(engine: Engine, batch: list[_Unit]) -> None:
    """The batch's work in one transaction. If any unit fails, or the commit does, none of it is kept and each
    unit runs again alone: a savepoint per unit would cost every batch more than the rare rerun costs."""
    try:
        with unit_of_work(engine) as session:
            results = [unit.work(session) for unit in batch]
    except Exception as error:
        if len(batch) == 1:
            batch[0].error = error
        else:
            for unit in batch:
                _run_together(engine, [unit])
        return
    for unit, result in zip(batch, results):
        unit.result = result
