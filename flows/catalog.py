"""The workshop's structure as data: steps, templates and the words for feelings."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from flows.vocabulary import Evidence, JourneyKind, Lane

POSITIVE, NEUTRAL, NEGATIVE = 1, 0, -1
FEELING_NAMES = {POSITIVE: "positive", NEUTRAL: "neutral", NEGATIVE: "negative"}


@dataclass(frozen=True)
class StepDef:
    id: str
    section: str
    lanes: tuple[Lane, ...]
    per_phase: bool = False
    settles_phases: bool = False
    feeling_lane: Lane | None = None
    opens_research: bool = False  # reaching the step opens the research round
    lane_kinds: tuple[tuple[Lane, tuple[JourneyKind, ...]], ...] = ()  # lanes only some kinds of journey have

    def lanes_for(self, kind: JourneyKind) -> tuple[Lane, ...]:
        """The lanes a workshop of this journey kind collects in this step."""
        limited = dict(self.lane_kinds)
        return tuple(lane for lane in self.lanes if kind in limited.get(lane, (kind,)))


@dataclass(frozen=True)
class Catalog:
    steps: dict[str, StepDef]
    templates: dict[str, tuple[str, ...]]
    default_template: str
    default_kind: JourneyKind
    default_dot_votes: int
    feeling_words: dict[str, int]
    evidence_values: tuple[Evidence, ...]
    pictograms: tuple[str, ...] = ()  # Slack emoji names a storyboard answer may pick for its scene

    def all_lanes(self) -> tuple[Lane, ...]:
        return tuple(dict.fromkeys(lane for step in self.steps.values() for lane in step.lanes))

    def template_steps(self, template: str) -> tuple[StepDef, ...]:
        return tuple(self.steps[step_id] for step_id in self.templates[template])


def catalog_from_toml(raw: dict) -> Catalog:
    steps = {
        step_id: StepDef(
            id=step_id,
            section=spec["section"],
            lanes=tuple(Lane(lane) for lane in spec["lanes"]),
            per_phase=spec.get("per_phase", False),
            settles_phases=spec.get("settles_phases", False),
            feeling_lane=Lane(spec["feeling_lane"]) if "feeling_lane" in spec else None,
            opens_research=spec.get("opens_research", False),
            lane_kinds=tuple((Lane(lane), tuple(JourneyKind(kind) for kind in kinds))
                             for lane, kinds in spec.get("kinds", {}).items()),
        )
        for step_id, spec in raw["steps"].items()
    }
    templates = {name: tuple(ids) for name, ids in raw["templates"].items()}
    for name, ids in templates.items():
        unknown = [step_id for step_id in ids if step_id not in steps]
        if unknown:
            raise ValueError(f"template {name!r} names unknown steps: {', '.join(unknown)}")
    feeling_words = {
        word.lower(): value
        for name, value in (("positive", POSITIVE), ("neutral", NEUTRAL), ("negative", NEGATIVE))
        for word in raw["feelings"][name]
    }
    return Catalog(
        steps=steps,
        templates=templates,
        default_template=raw["defaults"]["template"],
        default_kind=JourneyKind(raw["defaults"]["kind"]),
        default_dot_votes=raw["defaults"]["dot_votes"],
        feeling_words=feeling_words,
        evidence_values=tuple(Evidence(value) for value in raw["evidence"]["values"]),
        pictograms=tuple(raw.get("pictograms", {}).get("storyboard", ())),
    )


@cache
def load_catalog() -> Catalog:
    text = resources.files("flows").joinpath("data/steps.toml").read_text(encoding="utf-8")
    return catalog_from_toml(tomllib.loads(text))
