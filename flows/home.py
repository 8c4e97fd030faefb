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
class UnsortedAnswer:
    """An answer that waits for its lane, which this person may sort (their own, or any in a workshop they lead)."""

    item_id: int
    text: str
    title: str  # the workshop's
    step: str  # the step's title
    author: str  # a name, or the anonymous label
    choices: tuple[tuple[str, str], ...]  # (value, label) of every place it can go
    own: bool


@dataclass(frozen=True)
class HomeView:
    active: tuple[HomeWorkshop, ...]
    past: tuple[HomeWorkshop, ...]  # closed, most recent first
    unsorted: tuple[UnsortedAnswer, ...] = ()

    @property
    def waiting(self) -> tuple[HomeWorkshop, ...]:
        return tuple(workshop for workshop in self.active if workshop.waiting)
