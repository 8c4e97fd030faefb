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
    lang: str  # the workshop's: its line and button are in it
    waiting: bool = False  # active, and this person has not answered its current step
    captions: bool = False  # this person leads it and its storyboard has answers: the row offers the captions


@dataclass(frozen=True)
class HomeNote:
    phase_number: int
    phase: str
    lane: str
    text: str
    state: str  # confirmed | refuted | open | disputed


@dataclass(frozen=True)
class HomeEvidence:
    verdict: str
    text: str
    source: str
    note: str  # the assumption's text


@dataclass(frozen=True)
class HomeResearch:
    """A workshop's research round as one person's Home tab shows it: every assumption, theirs to check,
    the evidence they added."""

    title: str
    lang: str  # the workshop's: its part of the tab is in it
    notes: tuple[HomeNote, ...]
    checks: tuple[HomeNote, ...]  # the assumptions this person said they would check
    evidence: tuple[HomeEvidence, ...]  # what this person added

    @property
    def checked(self) -> int:
        return sum(note.state != "open" for note in self.notes)


@dataclass(frozen=True)
class UnsortedAnswer:
    """An answer that waits for its lane, which this person may sort (their own, or any in a workshop they lead)."""

    item_id: int
    text: str
    title: str  # the workshop's
    step: str  # the step's title
    lang: str  # the workshop's: its line and menu are in it
    author: str  # a name, or the anonymous label
    choices: tuple[tuple[str, str], ...]  # (value, label) of every place it can go
    own: bool


@dataclass(frozen=True)
class HomeView:
    active: tuple[HomeWorkshop, ...]
    past: tuple[HomeWorkshop, ...]  # closed, most recent first
    research: tuple[HomeResearch, ...] = ()  # active workshops with a research round
    unsorted: tuple[UnsortedAnswer, ...] = ()

    @property
    def waiting(self) -> tuple[HomeWorkshop, ...]:
        return tuple(workshop for workshop in self.active if workshop.waiting)
