"""What every listener needs besides the request: the database and the settings."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.settings import Settings
from flows.texts import Pack, load_pack
from storage.db import unit_of_work


@dataclass(frozen=True)
class Services:
    engine: Engine
    settings: Settings

    @contextmanager
    def unit(self) -> Iterator[Session]:
        with unit_of_work(self.engine) as session:
            yield session

    def pack(self, lang: str | None = None) -> Pack:
        return load_pack(lang or self.settings.default_lang)
