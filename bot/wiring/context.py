"""What every listener needs besides the request: the database, the settings, the steps and wording,
and the thread pool for work that follows Slack's ack."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TypeVar
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.wiring.coalesce import Coalescer
from bot.wiring.settings import Settings
from flows.catalog import Catalog
from flows.texts import Pack
from storage.db import unit_of_work
from storage.group_commit import run_grouped

T = TypeVar("T")


@dataclass(frozen=True)
class AppContext:
    engine: Engine
    settings: Settings
    background: Executor | None = None  # Bolt's listener pool; None runs follow-ups in the caller's thread
    logger: logging.Logger = logging.getLogger("journeybot")
    progress_interval: float = 0.0  # seconds between two updates of the count on one prompt

    @cached_property
    def progress(self) -> Coalescer:
        """Coalesces the updates of a prompt's count (keyed by workshop and step)."""
        return Coalescer(self.progress_interval, lambda run: self.after_ack(run))

    def after_ack(self, work: Callable[..., object], /, *args: object) -> None:
        """Runs ``work`` in the listener pool, for a listener that has done what Slack must wait for.

        Cheaper than a Bolt lazy listener, which deep-copies the whole request for every follow-up.
        A failure is logged where Bolt logs its listeners' failures, and still raised in the pool."""
        def logged() -> None:
            try:
                work(*args)
            except Exception:
                self.logger.exception("a follow-up after the ack failed: %s", getattr(work, "__name__", work))
                raise

        if self.background is None:
            logged()
        else:
            self.background.submit(logged)

    @contextmanager
    def unit(self) -> Iterator[Session]:
        with unit_of_work(self.engine) as session:
            yield session

    def grouped(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` committed, in one commit with the units other requests hand in at the same moment:
        for the answers, which arrive in bursts (see storage/group_commit.py)."""
        return run_grouped(self.engine, work)

    @property
    def catalog(self) -> Catalog:
        return self.settings.flows.catalog

    def pack(self, lang: str | None = None) -> Pack:
        return self.settings.flows.pack(lang or self.settings.default_lang)
