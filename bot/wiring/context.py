"""What every listener needs besides the request: the database, the settings, and the steps and wording."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.wiring.settings import Settings
from flows.catalog import Catalog
from flows.texts import Pack
from storage.db import unit_of_work


@dataclass(frozen=True)
class AppContext:
    engine: Engine
    settings: Settings

    @contextmanager
    def unit(self) -> Iterator[Session]:
        with unit_of_work(self.engine) as session:
            yield session

    @property
    def catalog(self) -> Catalog:
        return self.settings.flows.catalog

    def pack(self, lang: str | None = None) -> Pack:
        return self.settings.flows.pack(lang or self.settings.default_lang)
