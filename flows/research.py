"""The research round, without Slack or SQL: what state an assumption is in, what people typed
into the evidence modal, and how a phase's notes are paged into board messages.

A first journey map is made of assumptions; research confirms or refutes them (seed 003, step 3 of
"Begrijpen"). A verdict rests on evidence; evidence that points both ways makes a note *disputed*
until a lead settles it.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

from flows.themes import Edit, shorten, themes_of

CONFIRMED, REFUTED, UNCLEAR, FOUND = "confirmed", "refuted", "unclear", "found"
OPEN, DISPUTED = "open", "disputed"
VERDICTS = (CONFIRMED, REFUTED, UNCLEAR)
STATES = (CONFIRMED, REFUTED, OPEN, DISPUTED)
# Marks that read without colour: a print in black and white keeps them.
STATE_MARKS = {CONFIRMED: "✓", REFUTED: "✗", OPEN: "?", DISPUTED: "⚡"}
NOTES_PER_BOARD = 20  # two blocks a note, plus the board's head and foot: under Slack's 50 blocks
MAX_EVIDENCE_TEXT = 3000
MAX_LINK = 2000
MAX_PEOPLE = 1_000_000
T = TypeVar("T")


class VerdictRecord(Protocol):
    item_id: int
    user_id: str
    verdict: str
    settled: bool


def note_state(verdicts: Iterable[VerdictRecord]) -> str:
    """A lead's settling wins; otherwise confirmed and refuted verdicts together are a dispute."""
    verdicts = list(verdicts)
    settled = [v.verdict for v in verdicts if v.settled]
    if settled:
        return settled[-1]
    given = {v.verdict for v in verdicts if v.verdict in (CONFIRMED, REFUTED)}
    if given == {CONFIRMED, REFUTED}:
        return DISPUTED
    return given.pop() if given else OPEN


def states_by_item(verdicts: Iterable[VerdictRecord]) -> dict[int, str]:
    grouped: dict[int, list[VerdictRecord]] = {}
    for verdict in verdicts:
        grouped.setdefault(verdict.item_id, []).append(verdict)
    return {item_id: note_state(rows) for item_id, rows in grouped.items()}


class EvidenceError(ValueError):
    """A field of the evidence modal that cannot be stored; ``key`` names the pack message."""

    def __init__(self, field: str, key: str, **values: object):
        super().__init__(key)
        self.field, self.key, self.values = field, key, values


class EvidenceErrors(ValueError):
    """Every field of the modal that cannot be stored, so the person sees them all at once."""

    def __init__(self, errors: Sequence[EvidenceError]):
        super().__init__(", ".join(error.field for error in errors))
        self.errors = tuple(errors)


@dataclass(frozen=True)
class EvidenceInput:
    text: str
    source: str
    people: int | None
    link: str | None


def read_evidence(*, text: str, source: str | None, people: str, link: str, sources: Sequence[str],
                  clean) -> EvidenceInput:
    """The evidence modal's fields, checked; raises EvidenceErrors naming every field that is wrong."""
    errors: list[EvidenceError] = []

    def checked(read, *args):
        try:
            return read(*args)
        except EvidenceError as error:
            errors.append(error)

    found = checked(_read_found, text, clean)
    if source not in sources:
        errors.append(EvidenceError("source", "research.source_needed"))
    count, address = checked(read_people, people), checked(read_link, link)
    if errors:
        raise EvidenceErrors(errors)
    return EvidenceInput(found, source, count, address)


def _read_found(text: str, clean) -> str:
    found = clean(text)
    if not found:
        raise EvidenceError("found", "research.found_needed")
    if len(text) > MAX_EVIDENCE_TEXT:
        raise EvidenceError("found", "research.found_too_long", length=len(text), limit=MAX_EVIDENCE_TEXT)
    return found


def read_people(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_PEOPLE:
        raise EvidenceError("people", "research.people_not_a_number")
    return int(text)


def read_link(text: str) -> str | None:
    """An http(s) address with a host, or nothing; anything else is refused rather than guessed at
    (also characters that Slack's link syntax reads: ``<``, ``>``, ``|``)."""
    text = text.strip()
    if not text:
        return None
    parts = urlsplit(text)
    if (parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname
            or any(ch.isspace() or ch in '<>|"' for ch in text) or len(text) > MAX_LINK):
        raise EvidenceError("link", "research.link_not_a_url")
    return text


def in_themes(notes: Sequence[BoardNote], edits: Iterable[Edit] = ()) -> list[BoardNote]:
    """A lane's notes theme by theme, largest first, as the summary groups them; the first note of a
    theme of several carries the theme's label and size."""
    if not notes:
        return []
    ordered = []
    groups = themes_of([note.text for note in notes], [note.item_id for note in notes], edits)
    for grouped in sorted(groups, key=lambda grouped: -len(grouped.members)):
        members = [notes[index] for index in grouped.members]
        if len(members) > 1:
            label = grouped.label or shorten(notes[grouped.representative].text)
            members[0] = replace(members[0], theme=(label, len(members)))
        ordered += members
    return ordered


def pages(notes: Sequence[T], size: int = NOTES_PER_BOARD) -> list[Sequence[T]]:
    """Notes split into board pages; a lane without notes has none."""
    return [notes[start:start + size] for start in range(0, len(notes), size)]


@dataclass(frozen=True)
class BoardNote:
    """An assumption as its board shows it."""

    item_id: int
    text: str
    author: str | None  # None in anonymous workshops
    state: str
    evidence: int  # how many pieces of evidence it has
    volunteers: tuple[str, ...]  # names; in anonymous workshops only counted
    theme: tuple[str, int] | None = None  # on the first note of a theme of several: its label and size


@dataclass(frozen=True)
class BoardPage:
    """One board message: a page of one phase's assumptions in one lane."""

    phase_number: int
    phase: str
    lane: str
    page: int  # 1-based
    pages: int
    notes: tuple[BoardNote, ...]


def board_pages(phases: Sequence[str], lane_order: Sequence[str],
                notes: Iterable[tuple[int, str, BoardNote]], edits: Iterable[Edit] = ()) -> list[BoardPage]:
    """``notes`` as (phase number, lane, note), oldest first, paged per phase and lane in map order, the
    notes of a theme together (the lead's theme corrections, ``edits``, included)."""
    grouped: dict[tuple[int, str], list[BoardNote]] = {}
    for phase_number, lane, note in notes:
        grouped.setdefault((phase_number, lane), []).append(note)
    edits = tuple(edits)
    result = []
    for phase_number, phase in enumerate(phases, start=1):
        for lane in lane_order:
            chunks = pages(in_themes(grouped.get((phase_number, lane), []), edits))
            result += [BoardPage(phase_number, phase, lane, number, len(chunks), tuple(chunk))
                       for number, chunk in enumerate(chunks, start=1)]
    return result


def phase_number_of(step_key: str) -> int | None:
    """The phase a journey note answers (``journey:2`` → 2)."""
    step_id, _, number = step_key.partition(":")
    return int(number) if step_id == "journey" and number.isdigit() else None
