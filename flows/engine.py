"""Moves a workshop from step to step.

A template lists step definitions; a step asked once per journey phase expands
into one prompt per phase. A position is the step's key ("end_user",
"journey:2"), so it survives the lead renaming or adding phases later.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from flows.catalog import Catalog, StepDef
from flows.vocabulary import Lane

MAX_PHASES = 12
MAX_PHASE_NAME = 60


@dataclass(frozen=True)
class StepRef:
    step: StepDef
    number: int  # 1-based position in the plan
    phase_number: int | None = None  # 1-based, for steps asked per phase
    phase: str | None = None

    @property
    def key(self) -> str:
        return self.step.id if self.phase_number is None else f"{self.step.id}:{self.phase_number}"


@dataclass(frozen=True)
class Plan:
    refs: tuple[StepRef, ...]

    def __len__(self) -> int:
        return len(self.refs)

    def first(self) -> StepRef:
        return self.refs[0]

    def get(self, key: str) -> StepRef:
        """The step at a key; a phase step beyond the phases settled now falls back to the last one."""
        for ref in self.refs:
            if ref.key == key:
                return ref
        step_id = key.split(":")[0]
        same_step = [ref for ref in self.refs if ref.step.id == step_id]
        if same_step:
            return same_step[-1]
        raise KeyError(f"no step {key!r} in this workshop")

    def after(self, key: str) -> StepRef | None:
        index = self.get(key).number  # number is 1-based, so it indexes the next one
        return self.refs[index] if index < len(self.refs) else None

    def before(self, key: str) -> StepRef | None:
        index = self.get(key).number - 2
        return self.refs[index] if index >= 0 else None


def build_plan(*, template: str, phases: Sequence[str], catalog: Catalog) -> Plan:
    refs: list[StepRef] = []
    for step in catalog.template_steps(template):
        if step.per_phase:
            for phase_number, phase in enumerate(phases, start=1):
                refs.append(StepRef(step, len(refs) + 1, phase_number, phase))
        else:
            refs.append(StepRef(step, len(refs) + 1))
    return Plan(tuple(refs))


class Planned(Protocol):
    """What of a workshop decides its steps and lanes (a stored workshop has these attributes)."""

    kind: str
    template: str
    phases: Sequence[str]


def plan_of(workshop: Planned, catalog: Catalog) -> Plan:
    """The steps of a workshop: its template's, with the phases settled so far."""
    return build_plan(template=workshop.template, phases=workshop.phases, catalog=catalog)


def lanes_of(workshop: Planned, ref: StepRef) -> tuple[str, ...]:
    """Where answers to a step can land, in a workshop of this journey kind."""
    return ref.step.lanes_for(workshop.kind)


def filed_elsewhere(plan: Plan, ref: StepRef) -> dict[str, StepRef]:
    """Lanes a reply to a phase's prompt may name besides the step's own, each with the step that collects
    them: an insight about the phase is one of the opportunities step's answers, placed in that phase.
    Empty for other steps, and when the template has no step that collects insights."""
    if ref.phase_number is None or Lane.INSIGHT in ref.step.lanes:
        return {}
    collector = next((other for other in plan.refs
                      if not other.step.per_phase and Lane.INSIGHT in other.step.lanes), None)
    return {Lane.INSIGHT: collector} if collector else {}


def reply_lanes(workshop: Planned, plan: Plan, ref: StepRef) -> tuple[str, ...]:
    """Every lane an answer given to a step can name: its own, then those filed elsewhere."""
    return lanes_of(workshop, ref) + tuple(filed_elsewhere(plan, ref))


def filing_step(plan: Plan, ref: StepRef, lane: str | None) -> StepRef:
    """The step an answer given to ``ref`` in ``lane`` is one of: ``ref`` itself, or the step collecting that lane."""
    return filed_elsewhere(plan, ref).get(lane, ref) if lane else ref


class PhaseListError(ValueError):
    """A phase list the lead typed that cannot be used; ``key`` names the pack message."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


def parse_phase_list(text: str) -> list[str]:
    """Phases separated by commas or new lines, in order, without duplicates."""
    separators = text.replace("\n", ",").replace(";", ",")
    phases: list[str] = []
    for raw in separators.split(","):
        name = " ".join(raw.split())
        if name and name.casefold() not in {p.casefold() for p in phases}:
            phases.append(name)
    if not phases:
        raise PhaseListError("messages.phases_missing")
    if len(phases) > MAX_PHASES:
        raise PhaseListError("messages.phases_too_many", count=len(phases), limit=MAX_PHASES)
    for name in phases:
        if len(name) > MAX_PHASE_NAME:
            raise PhaseListError("messages.phase_too_long", phase=name[:MAX_PHASE_NAME] + "…", limit=MAX_PHASE_NAME)
    return phases
