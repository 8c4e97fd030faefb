"""Where answers sit among the journey's phases, and where they go when a lead settles the phases again.

A journey note sits in a phase by its position (its step key, ``journey:2``); an insight by the phase's name
(the phase whose thread it was given in, or a ``Purchase: …`` it starts with). When the list changes, insights
keep their position as the notes beside them do: the name they store becomes the name now in that place.
Insights stored before journeybot did so still name a phase's old name; the journey notes given under that name
tell which place it was.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from flows.research import phase_number_of
from flows.vocabulary import Lane

T = TypeVar("T")


class Placed(Protocol):
    id: int
    step_key: str
    lane: str | None
    phase: str | None
    text: str


def phase_columns(phases: Sequence[str], items: Iterable[Placed]) -> dict[int, str]:
    """The journey's columns, number -> name: the phases, then any dropped from the list that still hold
    journey notes, named as the first of them (``items`` oldest first) was given."""
    names = dict(enumerate(phases, start=1))
    for item in items:
        number = phase_number_of(item.step_key)
        if number is not None:
            names.setdefault(number, item.phase or str(number))
    return names


def phase_places(columns: Mapping[int, str], items: Iterable[Placed]) -> dict[str, int]:
    """Casefolded phase name -> the column an insight naming it sits in: the columns' names (the last column
    of a name, as always), then the names the journey notes in a column were given under, the oldest note first
    (a phase renamed while insights stayed behind)."""
    places: dict[str, int] = {}
    for item in items:
        number = phase_number_of(item.step_key)
        if number in columns and item.phase:
            places.setdefault(item.phase.casefold(), number)
    return places | {name.casefold(): number for number, name in sorted(columns.items())}


def placed(item: Placed, places: Mapping[str, T]) -> T | None:
    """What ``places`` (by casefolded phase name) holds for the phase an insight sits in: the one it was given
    in, else the one its text starts with (``Purchase: …``); None when it names none of them."""
    prefix, colon, _ = item.text.partition(":")
    found = places.get((item.phase or "").casefold())
    return found if found is not None or not colon else places.get(prefix.strip().casefold())


def phase_moves(old: Sequence[str], new: Sequence[str], items: Iterable[Placed]) -> dict[int, str]:
    """Item id -> the phase name it stores once the phases ``old`` become ``new``, for every answer in a column
    whose name changes: journey notes (their name, for exports) and insights, each by its position. Answers
    in a column beyond the new list keep their name: the column stays, named by its notes, until a phase
    fills its place again. ``items``: the workshop's answers, oldest first."""
    items = list(items)
    numbers = phase_places(phase_columns(old, items), items)
    moves = {}
    for item in items:
        number = phase_number_of(item.step_key)
        if number is None and item.lane == Lane.INSIGHT:
            number = placed(item, numbers)
        if number is not None and number <= len(new) and item.phase != new[number - 1]:
            moves[item.id] = new[number - 1]
    return moves
