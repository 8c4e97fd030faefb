"""The Home tab's view model: one person's workshops in one workspace, as plain data."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HomeWorkshop:
    workshop_id: int
    title: str
    channel_id: str
    step_key: str
    step: str  # the current step's title, in the workshop's language
    number: int
    count: int
    answers: int  # this person's answers in the workshop
    waiting: bool = False  # active, and this person has not answered its current step


@dataclass(frozen=True)
class HomeView:
    active: tuple[HomeWorkshop, ...]
    past: tuple[HomeWorkshop, ...]  # closed, most recent first

    @property
    def waiting(self) -> tuple[HomeWorkshop, ...]:
        return tuple(workshop for workshop in self.active if workshop.waiting)
