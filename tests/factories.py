"""Stored-record look-alikes and summaries for tests.

The records are plain dataclasses with the attributes of ``flows.summary.WorkshopRecord``
and ``ItemRecord``; ``summary_of`` turns them into the ``SummaryView`` renderers draw.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from flows.catalog import NEGATIVE, NEUTRAL, POSITIVE, load_catalog
from flows.summary import SummaryView, build_summary
from flows.texts import load_pack

START = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
NAMES = {"U1": "Anna de Vries", "U2": "Bram", "U3": "Chloé"}
# Where an answer in each lane is given when a test does not say.
DEFAULT_STEP = {"end_user": "end_user", "phase_idea": "phases", "insight": "opportunities", "hmw": "hmw",
                "experience": "experience", "intentions": "experience", "panel": "story_customer"}
JOURNEY_LANES = ("does", "thinks", "feels", "touchpoints")
STORY_STEPS = ("story_customer", "story_pain", "story_solution", "story_discovery", "story_outcome")
_ids = itertools.count(1)


@dataclass
class Workshop:
    id: int = 1
    title: str = "Ordering online"
    kind: str = "customer"
    template: str = "full"
    lang: str = "en"
    status: str = "active"
    phases: list[str] = field(default_factory=lambda: ["Research", "Purchase", "Use"])
    anonymous: bool = False
    current_step: str = "end_user"
    created_at: datetime = START


@dataclass
class Item:
    id: int
    step_key: str
    phase: str | None
    lane: str | None
    text: str
    feeling: int | None
    why: str | None
    evidence: str
    author_id: str
    created_at: datetime


def make_workshop(**overrides) -> Workshop:
    return Workshop(**overrides)


def make_item(lane: str, text: str, *, phase: int | None = None, workshop: Workshop | None = None,
              step_key: str | None = None, feeling: int | None = None, why: str | None = None,
              evidence: str = "assumption", author_id: str = "U1", id: int | None = None) -> Item:
    """An answer in ``lane``; for journey lanes give ``phase`` as the phase's 1-based number."""
    item_id = next(_ids) if id is None else id
    phase_name = None
    if phase is not None:
        phase_name = (workshop or make_workshop()).phases[phase - 1]
        step_key = step_key or f"journey:{phase}"
    return Item(id=item_id, step_key=step_key or DEFAULT_STEP[lane], phase=phase_name, lane=lane, text=text,
                feeling=feeling, why=why, evidence=evidence, author_id=author_id,
                created_at=START + timedelta(minutes=item_id))


def sample_items(workshop: Workshop | None = None) -> list[Item]:
    """A small workshop about ordering online, with every lane, all feelings and some research."""
    w = workshop or make_workshop()

    def journey(phase: int, lane: str, text: str, **kw) -> Item:
        return make_item(lane, text, phase=phase, workshop=w, **kw)

    return [
        make_item("end_user", "A freelance designer who orders office supplies once a month", evidence="interview"),
        journey(1, "does", "Compares three web shops", author_id="U2"),
        journey(1, "thinks", "So much choice, I can't see the wood for the trees"),
        journey(1, "feels", "overwhelmed", feeling=NEGATIVE, why="too many options", author_id="U3"),
        journey(1, "feels", "curious", feeling=POSITIVE, author_id="U2", evidence="observation"),
        journey(1, "touchpoints", "Website search", author_id="U2"),
        journey(2, "does", "Fills in the order form", evidence="observation"),
        journey(2, "thinks", "Why do shipping costs only show up now?", author_id="U3"),
        journey(2, "feels", "annoyed", feeling=NEGATIVE, why="surprise costs", evidence="interview"),
        journey(2, "feels", "fine", feeling=NEUTRAL, author_id="U2"),
        journey(3, "does", "Unpacks the parcel", author_id="U3"),
        journey(3, "thinks", "That was quick", author_id="U2"),
        journey(3, "feels", "relieved", feeling=POSITIVE, why="arrived the next day", evidence="diary"),
        journey(3, "touchpoints", "Delivery e-mail"),
        make_item("insight", "Shipping costs show up only at checkout.", author_id="U3", evidence="interview"),
        make_item("hmw", "How might we show the full price before checkout?", author_id="U2"),
        make_item("hmw", "How might we make comparing shops unnecessary?"),
        make_item("experience", "Mixed: quick delivery, but a bad surprise at checkout", author_id="U3"),
        make_item("intentions", "Will order again, but checks prices elsewhere first", author_id="U2"),
        *(make_item("panel", f"Panel answer for {step}", step_key=step, author_id="U3") for step in STORY_STEPS),
    ]


def many_items(n: int, workshop: Workshop | None = None) -> list[Item]:
    """``n`` answers spread round-robin over every lane, phase and storyboard step."""
    w = workshop or make_workshop()
    slots = [("journey", lane, phase) for phase in range(1, len(w.phases) + 1) for lane in JOURNEY_LANES]
    slots += [("other", lane, None) for lane in ("end_user", "insight", "hmw", "experience", "intentions")]
    slots += [("story", "panel", step) for step in STORY_STEPS]
    feelings = itertools.cycle((POSITIVE, NEUTRAL, NEGATIVE, NEGATIVE))
    evidence = itertools.cycle(("assumption", "assumption", "interview", "observation", "diary"))
    items = []
    for number, (kind, lane, where) in zip(range(n), itertools.cycle(slots)):
        text = f"Note {number}: a fairly long sticky note that needs wrapping in a narrow column"
        extra = {"evidence": next(evidence), "author_id": f"U{number % 7}"}
        if kind == "journey":
            feeling = next(feelings) if lane == "feels" else None
            items.append(make_item(lane, text, phase=where, workshop=w, feeling=feeling, **extra))
        else:
            items.append(make_item(lane, text, step_key=where if kind == "story" else None, **extra))
    return items


def summary_of(workshop: Workshop, items: Iterable[Item], names: Mapping[str, str] | None = None,
               votes: Mapping[int, int] | None = None) -> SummaryView:
    return build_summary(workshop, items, names=NAMES if names is None else names, votes=votes, now=START,
                         pack=load_pack(workshop.lang), catalog=load_catalog())


def with_text(item: Item, text: str) -> Item:
    return replace(item, text=text)


def drawn_texts(monkeypatch, draw, view, **kwargs) -> str:
    """Every text a picture draws, caught where the renderer hands it to the sheet (before shaping)."""
    from renderers.sheet import Sheet

    drawn = []
    original = Sheet.text
    monkeypatch.setattr(Sheet, "text", lambda sheet, x, y, text, *args, **kw: (
        drawn.append(text), original(sheet, x, y, text, *args, **kw))[1])
    draw(view, **kwargs)
    monkeypatch.setattr(Sheet, "text", original)
    return "\n".join(drawn)
