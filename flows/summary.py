"""The summary view model: one plain description of a workshop that every renderer draws.

``build_summary`` turns stored records (anything with the attributes of
``WorkshopRecord`` and ``ItemRecord``) into a ``SummaryView``; it does no I/O.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Protocol

from flows.catalog import (
    FEELING_NAMES,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    Catalog,
)
from flows.engine import StepRef, plan_of
from flows.prompts import own_title, step_heading, step_title
from flows.research import CONFIRMED, DISPUTED, OPEN, REFUTED, VerdictRecord, phase_number_of, states_by_item
from flows.hmw import draft as draft_hmw
from flows.phases import phase_columns, phase_places, placed
from flows.texts import Pack, format_number
from flows.themes import Edit, shorten, themes_of
from flows.vocabulary import Evidence, JourneyKind, Lane, WorkshopStatus

# Where the summary shows an answer the bot could not place and nobody has sorted yet (never stored: its lane is None).
UNSORTED = "unsorted"
FEELING_EMOJI = {POSITIVE: ":slightly_smiling_face:", NEUTRAL: ":neutral_face:", NEGATIVE: ":disappointed:"}
# An average above this reads as positive, below its negative as negative.
FEELING_THRESHOLD = 1 / 3
MAX_PROBLEM_DRAFTS = 5  # "How might we" drafts from the journey's most negative themes


class WorkshopRecord(Protocol):
    id: int
    title: str
    kind: JourneyKind
    template: str
    lang: str
    status: WorkshopStatus
    phases: list[str]
    anonymous: bool
    current_step: str
    created_at: datetime


class ItemRecord(Protocol):
    id: int
    step_key: str
    phase: str | None
    lane: Lane | None
    text: str
    feeling: int | None
    why: str | None
    evidence: Evidence
    author_id: str
    created_at: datetime


class EvidenceRecord(Protocol):
    item_id: int
    author_id: str
    verdict: str
    text: str
    source: str
    people: int | None
    link: str | None
    created_at: datetime


@dataclass(frozen=True)
class ResearchRecords:
    """A workshop's research round as stored: its evidence and verdicts."""

    evidence: Sequence[EvidenceRecord] = ()
    verdicts: Sequence[VerdictRecord] = ()


@dataclass(frozen=True)
class EvidenceView:
    author: str | None  # None in anonymous workshops
    verdict: str  # confirmed | refuted | unclear | found
    text: str
    source: str
    people: int | None = None
    link: str | None = None
    created_at: datetime | None = None


@dataclass(frozen=True)
class ItemView:
    id: int
    lane: str  # a Lane, or UNSORTED for an answer nobody has sorted yet
    text: str
    author: str | None  # None in anonymous workshops
    evidence: Evidence
    feeling: int | None = None  # +1, 0, -1
    why: str | None = None
    created_at: datetime | None = None
    phase: str | None = None
    step_key: str = ""
    section: str = ""  # the workshop part of the step it answers: understand | storyboard
    votes: int = 0
    draft: bool = False  # a "How might we" question the bot drafted from an insight
    state: str | None = None  # an assumption's in a research round: confirmed | refuted | open | disputed
    evidence_found: tuple[EvidenceView, ...] = ()  # research on this note (for a finding: its details)
    draft: bool = False  # a "How might we" question the bot drafted from a problem theme
    where: str | None = None  # for an unsorted answer outside the phases: the title of the step it answered

    @property
    def is_research(self) -> bool:
        return self.evidence != Evidence.ASSUMPTION

    @property
    def sources(self) -> tuple[str, ...]:
        """Where what is known about this note comes from, each once."""
        found = [self.evidence] if self.is_research else []
        return tuple(dict.fromkeys(found + [evidence.source for evidence in self.evidence_found]))


@dataclass(frozen=True)
class Theme:
    """Notes of one phase-and-lane (or of the insights) that say the same thing, drawn as one sticky.

    ``id`` is stable from one summary to the next: "t" + the id of the theme's first note (its
    smallest item id), so a lead's corrections and the exports can name it."""
    id: str
    label: str  # a short label: the lead's name for it, else drawn from its notes
    notes: tuple[ItemView, ...]  # in the order they were written
    representative: ItemView  # the note that says it best (closest to the others)
    people: tuple[str, ...]  # display names of its authors, sorted; empty in anonymous workshops
    lane: str  # a Lane, or UNSORTED
    phase: int | None = None  # the phase number; for insights the phase they name, None for the whole journey
    feeling: float | None = None  # the average feeling of its notes, if any has one
    renamed: bool = False  # the label was given by a lead

    @property
    def count(self) -> int:
        return len(self.notes)

    @property
    def note_ids(self) -> tuple[int, ...]:
        return tuple(note.id for note in self.notes)


@dataclass(frozen=True)
class PhaseView:
    number: int
    name: str
    lanes: Mapping[Lane, tuple[ItemView, ...]]  # does, thinks, feels, (touchpoints)
    feelings: tuple[int, ...]  # every individual feeling, for the spread
    average_feeling: float | None
    assumed_feeling: float | None = None  # from the assumption notes alone
    researched_feeling: float | None = None  # from research: findings and confirmed assumptions
    # the same notes grouped into themes per lane, largest theme first (ties: earliest first)
    themes: Mapping[str, tuple[Theme, ...]] = field(default_factory=dict)

    @property
    def feeling_emoji(self) -> str | None:
        return None if self.average_feeling is None else FEELING_EMOJI[feeling_bucket(self.average_feeling)]

    @property
    def feeling_counts(self) -> dict[int, int]:
        counts = Counter(self.feelings)
        return {value: counts.get(value, 0) for value in (POSITIVE, NEUTRAL, NEGATIVE)}


@dataclass(frozen=True)
class PanelView:
    number: int
    step_id: str
    title: str
    items: tuple[ItemView, ...]  # in the order they were written
    key: str = ""  # the storyboard step's key, which a lead's caption pick names
    scene: str = ""  # the step's own title, without "Storyboard 1 of 5"
    caption: ItemView | None = None  # the team's pick: the lead's, else the most voted (the first on a tie)
    picked: bool = False  # the caption is a lead's pick

    @property
    def others(self) -> tuple[ItemView, ...]:
        """The answers besides the caption, in the order they were written."""
        return tuple(item for item in self.items if item is not self.caption)


def panel_caption(items: Sequence[ItemView], picked_id: int | None) -> ItemView | None:
    """The lead's pick if it is still one of the panel's answers, else the most voted (the first written on
    a tie or without votes)."""
    picked = next((item for item in items if item.id == picked_id), None)
    if picked is not None or not items:
        return picked
    return max(items, key=lambda item: (item.votes, -items.index(item)))


@dataclass(frozen=True)
class ResearchView:
    """What we believed and what we found: the outcome of the research round."""

    assumptions: int  # assumption notes in the journey
    counts: Mapping[str, int]  # per state
    refuted: tuple[ItemView, ...]
    disputed: tuple[ItemView, ...]
    findings: tuple[ItemView, ...]  # research notes in the journey

    @property
    def checked(self) -> int:
        """Assumptions with evidence: confirmed, refuted or disputed."""
        return self.assumptions - self.counts.get(OPEN, 0)

    @property
    def share_checked(self) -> float:
        return self.checked / self.assumptions if self.assumptions else 0.0


@dataclass(frozen=True)
class SummaryView:
    workshop_id: int
    title: str
    kind: JourneyKind
    kind_name: str
    lang: str
    status: WorkshopStatus
    anonymous: bool
    lane_order: tuple[str, ...]  # the lanes of a phase, in the order to draw them (UNSORTED last, while any waits)
    labels: Mapping[str, str]  # localized labels: lanes, sections, feelings, evidence, summary words
    progress: str  # "Work in progress: …" or "Workshop closed."
    context: str  # one line: kind, counts, assumption vs research
    end_user: tuple[ItemView, ...]
    phases: tuple[PhaseView, ...]
    insights: tuple[ItemView, ...]  # an insight's ``phase`` is the name of the phase it sits in, if it names one
    hmw: tuple[ItemView, ...]  # the team's questions, most votes first, then drafts
    experience: tuple[ItemView, ...]
    intentions: tuple[ItemView, ...]
    storyboard: tuple[PanelView, ...]
    item_count: int
    people_count: int
    unsorted: tuple[ItemView, ...] = ()  # not sorted yet, outside the phases (those are in their phase's lanes)
    evidence_counts: Mapping[Evidence, int] = field(default_factory=dict)
    research: ResearchView | None = None  # None until a research round opens
    insight_themes: tuple[Theme, ...] = ()  # the insights grouped into themes per phase they name, then the whole journey's
    understand: bool = True  # the template has the Understand phase; a storyboard-only one has no journey to show
    generated_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def all_themes(self) -> Iterable[Theme]:
        """Every theme: the phases' lane by lane, then the insights'."""
        for phase in self.phases:
            for lane in self.lane_order:
                yield from phase.themes.get(lane, ())
        yield from self.insight_themes

    def insight_phase(self, item: ItemView) -> int | None:
        """The number of the phase an insight sits in; None when it belongs to the whole journey."""
        return _phase_numbers(self.phases).get((item.phase or "").casefold()) if item.lane == Lane.INSIGHT else None

    def insight_groups(self) -> list[tuple[PhaseView | None, tuple[Theme, ...]]]:
        """The insight themes per phase they sit in, in journey order, then the whole journey's (None)."""
        groups = [(phase, tuple(theme for theme in self.insight_themes if theme.phase == phase.number))
                  for phase in self.phases]
        journey = tuple(theme for theme in self.insight_themes if theme.phase is None)
        return [(phase, themes) for phase, themes in groups if themes] + ([(None, journey)] if journey else [])

    def all_items(self) -> Iterable[ItemView]:
        """Every item the team wrote (drafts excluded), in summary order."""
        yield from self.end_user
        for phase in self.phases:
            for lane in self.lane_order:
                yield from phase.lanes.get(lane, ())
        yield from self.insights
        yield from (item for item in self.hmw if not item.draft)
        yield from self.experience
        yield from self.intentions
        for panel in self.storyboard:
            yield from panel.items
        yield from self.unsorted


def feeling_bucket(average: float) -> int:
    if average > FEELING_THRESHOLD:
        return POSITIVE
    if average < -FEELING_THRESHOLD:
        return NEGATIVE
    return NEUTRAL


def _labels(pack: Pack, catalog: Catalog) -> dict[str, str]:
    labels = {f"lane.{lane}": pack.lane_label(lane) for lane in catalog.all_lanes()}
    labels |= {f"feeling.{name}": pack.text(f"feelings.{name}") for name in FEELING_NAMES.values()}
    labels |= {f"evidence.{value}": pack.text(f"evidence.{value}") for value in catalog.evidence_values}
    labels |= {f"summary.{key}": value for key, value in pack.raw("summary").items() if isinstance(value, str)}
    labels |= {f"summary.{key}.{form}": text for key, forms in pack.raw("summary").items() if isinstance(forms, dict)
               for form, text in forms.items()}  # the plural forms of counted texts
    labels |= {f"counts.{noun}.{form}": text for noun, forms in pack.raw("counts").items() for form, text in forms.items()}
    labels |= {f"canvas.labels.{key}": value for key, value in pack.raw("canvas.labels").items()}
    labels |= {f"section.{key}": value for key, value in pack.raw("sections").items()}
    labels |= {f"pictures.{key}": value for key, value in pack.raw("pictures").items()}
    labels |= {f"research.{key}": value for key, value in pack.raw("research").items() if isinstance(value, str)}
    labels |= {f"research.{key}.{form}": text for key, forms in pack.raw("research").items() if isinstance(forms, dict)
               for form, text in forms.items()}
    labels |= {f"themes.{key}": value for key, value in pack.raw("themes").items() if isinstance(value, str)}
    labels |= {f"captions.{key}": value for key, value in pack.raw("captions").items() if isinstance(value, str)}
    labels[f"lane.{UNSORTED}"] = pack.text("summary.unsorted")
    return labels


def insight_text(item: ItemView) -> str:
    """An insight's text without the name of the phase it sits in when it starts with it (``Purchase: …``):
    where it is placed says that."""
    prefix, colon, rest = item.text.partition(":")
    if item.lane == Lane.INSIGHT and item.phase and colon and prefix.strip().casefold() == item.phase.casefold():
        return rest.strip()
    return item.text


def _draft_hmw(theme: Theme, pack: Pack, phase_names: Mapping[int, str]) -> ItemView:
    """A "How might we" draft for a theme, worded from the lead's label or the representative note."""
    wording = theme.label if theme.renamed else insight_text(theme.representative)
    return ItemView(
        id=-theme.representative.id, lane=Lane.HMW,
        text=draft_hmw(wording, pack, lane=theme.lane, phase=phase_names.get(theme.phase or 0)),
        author=None, evidence=theme.representative.evidence, draft=True)


def _problem_themes(phases: Sequence[PhaseView], insight_themes: Sequence[Theme]) -> list[Theme]:
    """The themes worth a draft: the most negative journey themes, then every opportunity."""
    negative = [theme for phase in phases for themes in phase.themes.values() for theme in themes
                if theme.feeling is not None and feeling_bucket(theme.feeling) == NEGATIVE]
    negative.sort(key=lambda theme: (theme.feeling, -theme.count, theme.representative.id))
    return negative[:MAX_PROBLEM_DRAFTS] + list(insight_themes)


def _themes(notes: Sequence[ItemView], lane: str, phase: int | None, edits: Sequence[Edit]) -> tuple[Theme, ...]:
    """The notes grouped into themes, largest first (ties: earliest first)."""
    result = []
    for grouped in themes_of([note.text for note in notes], [note.id for note in notes], edits):
        members = tuple(notes[index] for index in grouped.members)
        representative = notes[grouped.representative]
        feelings = [note.feeling for note in members if note.feeling is not None]
        result.append(Theme(
            id=f"t{min(note.id for note in members)}", label=grouped.label or shorten(representative.text),
            notes=members, representative=representative,
            people=tuple(sorted({note.author for note in members if note.author})),
            lane=lane, phase=phase, feeling=sum(feelings) / len(feelings) if feelings else None,
            renamed=grouped.label is not None))
    return tuple(sorted(result, key=lambda theme: -theme.count))


def _phase_views(phases: Sequence[str], views: Sequence[ItemView], lane_order: Sequence[Lane],
                 edits: Sequence[Edit]) -> tuple[PhaseView, ...]:
    """Items grouped by the phase prompt they answered; phases dropped later keep their items."""
    by_number: dict[int, list[ItemView]] = {}
    for item in views:
        number = phase_number_of(item.step_key)
        if number is not None:
            by_number.setdefault(number, []).append(item)
    names = phase_columns(phases, views)
    result = []
    for number in sorted(names):
        items = by_number.get(number, [])
        feelings = tuple(item.feeling for item in items if item.feeling is not None)
        lanes = {lane: tuple(item for item in items if item.lane == lane) for lane in lane_order}
        result.append(PhaseView(
            number=number, name=names[number], lanes=lanes,
            feelings=feelings, average_feeling=_average(feelings),
            assumed_feeling=_average(item.feeling for item in items if not item.is_research),
            researched_feeling=_average(item.feeling for item in items if item.is_research or item.state == CONFIRMED),
            themes={lane: _themes(notes, lane, number, edits) for lane, notes in lanes.items()}))
    return tuple(result)


def _phase_numbers(phases: Sequence[PhaseView]) -> dict[str, int]:
    return {phase.name.casefold(): phase.number for phase in phases}


def _placed_insight(item: ItemView, phases: Sequence[PhaseView], places: Mapping[str, int]) -> ItemView:
    """The insight with the name of the phase it sits in (``places``: flows.phases.phase_places): given in that
    phase's thread, or written as ``Research: …``; a name no phase has leaves it to the whole journey."""
    number = placed(item, places)
    return replace(item, phase=next((phase.name for phase in phases if phase.number == number), None))


def _insight_themes(insights: Sequence[ItemView], phases: Sequence[PhaseView],
                    edits: Sequence[Edit]) -> tuple[Theme, ...]:
    """The insights grouped into themes phase by phase (a theme never straddles two), then the whole journey's."""
    numbers = _phase_numbers(phases)
    by_phase: dict[int | None, list[ItemView]] = {}
    for item in insights:
        by_phase.setdefault(numbers.get((item.phase or "").casefold()), []).append(item)
    order = [phase.number for phase in phases if phase.number in by_phase] + ([None] if None in by_phase else [])
    return tuple(theme for number in order for theme in _themes(by_phase[number], Lane.INSIGHT, number, edits))


def _average(feelings: Iterable[int | None]) -> float | None:
    known = [feeling for feeling in feelings if feeling is not None]
    return sum(known) / len(known) if known else None


def is_journey_note(item: ItemRecord | ItemView) -> bool:
    return item.step_key.startswith("journey:")


def _research_view(phases: Sequence[PhaseView], lane_order: Sequence[str]) -> ResearchView:
    notes = [item for phase in phases for lane in lane_order for item in phase.lanes.get(lane, ())]
    assumptions = [item for item in notes if item.state is not None]
    counts = Counter(item.state for item in assumptions)
    return ResearchView(
        assumptions=len(assumptions), counts={state: counts.get(state, 0) for state in (CONFIRMED, REFUTED, OPEN, DISPUTED)},
        refuted=tuple(item for item in assumptions if item.state == REFUTED),
        disputed=tuple(item for item in assumptions if item.state == DISPUTED),
        findings=tuple(item for item in notes if item.is_research))


def _panel(ref: StepRef, title: str, scene: str, panels: Sequence[ItemView], picked_id: int | None) -> PanelView:
    items = tuple(item for item in panels if item.step_key == ref.key)
    caption = panel_caption(items, picked_id)
    return PanelView(ref.number, ref.step.id, title, items, key=ref.key, scene=scene, caption=caption,
                     picked=caption is not None and caption.id == picked_id)


def build_summary(
    workshop: WorkshopRecord,
    items: Iterable[ItemRecord],
    *,
    names: Mapping[str, str],
    votes: Mapping[int, int] | None = None,
    theme_edits: Sequence[Edit] = (),
    captions: Mapping[str, int] | None = None,
    now: datetime | None = None,
    pack: Pack,
    catalog: Catalog,
    research: ResearchRecords | None = None,
) -> SummaryView:
    """The summary of a workshop from its stored items; ``names`` maps Slack user IDs to display names,
    ``theme_edits`` are the leads' corrections of the themes, oldest first; ``captions`` the leads' caption
    picks (storyboard step key -> item id).
    ``pack`` and ``catalog`` are the workspace's own (a team's templates add steps and reword them);
    ``research`` is the workshop's research round, None if it has none."""
    votes = votes or {}
    journey_step = catalog.steps["journey"]
    states = states_by_item(research.verdicts) if research else {}
    evidence_by_item: dict[int, list[EvidenceView]] = {}
    for evidence in research.evidence if research else ():
        evidence_by_item.setdefault(evidence.item_id, []).append(EvidenceView(
            author=None if workshop.anonymous else names.get(evidence.author_id, evidence.author_id),
            verdict=evidence.verdict, text=evidence.text, source=evidence.source, people=evidence.people,
            link=evidence.link, created_at=evidence.created_at))
    plan = plan_of(workshop, catalog)
    headings = {ref.key: step_heading(pack, plan, ref, len(workshop.phases)) for ref in plan.refs}

    def view(item: ItemRecord) -> ItemView:
        author = None if workshop.anonymous else names.get(item.author_id, item.author_id)
        in_phase = item.step_key.startswith(f"{journey_step.id}:")
        step = catalog.steps.get(item.step_key.split(":")[0])  # a step the team's file no longer has: none
        assumption = research is not None and item.evidence == Evidence.ASSUMPTION and item.lane and is_journey_note(item)
        return ItemView(
            id=item.id, lane=item.lane or UNSORTED, text=item.text, author=author, evidence=item.evidence,
            feeling=item.feeling, why=item.why, created_at=item.created_at, phase=item.phase,
            step_key=item.step_key, section=step.section if step else "", votes=votes.get(item.id, 0),
            state=states.get(item.id, OPEN) if assumption else None,
            evidence_found=tuple(evidence_by_item.get(item.id, ())),
            where=None if item.lane or in_phase else headings.get(item.step_key, item.step_key),
        )

    filed = list(items)  # answers waiting for their lane show as not sorted yet
    views = [view(item) for item in sorted(filed, key=lambda item: (item.created_at, item.id))]
    by_lane: dict[str, list[ItemView]] = {}
    for item in views:
        by_lane.setdefault(item.lane, []).append(item)

    lane_order = journey_step.lanes_for(workshop.kind)
    if any(item.lane == UNSORTED and item.where is None for item in views):
        lane_order += (UNSORTED,)
    phases = _phase_views(workshop.phases, views, lane_order, theme_edits)
    storyboard = tuple(_panel(ref, headings[ref.key], own_title(pack, ref, len(workshop.phases)),
                              by_lane.get(Lane.PANEL, []), (captions or {}).get(ref.key))
                       for ref in plan.refs if ref.step.section == "storyboard")
    places = phase_places({phase.number: phase.name for phase in phases}, views)
    insights = tuple(_placed_insight(item, phases, places) for item in by_lane.get(Lane.INSIGHT, []))
    insight_themes = _insight_themes(insights, phases, theme_edits)
    team_hmw = sorted(by_lane.get(Lane.HMW, []), key=lambda item: -item.votes)
    phase_names = {phase.number: phase.name for phase in phases}
    # by text: two themes worded alike get one draft, and a draft the team took up is theirs
    drafts: dict[str, ItemView | None] = {item.text.casefold(): None for item in team_hmw}
    for theme in _problem_themes(phases, insight_themes):
        question = _draft_hmw(theme, pack, phase_names)
        drafts.setdefault(question.text.casefold(), question)
    hmw = tuple(team_hmw) + tuple(draft for draft in drafts.values() if draft)

    people = {item.author_id for item in filed}
    evidence_counts = Counter(item.evidence for item in filed)
    kind_name = pack.text(f"kinds.{workshop.kind}.name")
    current = plan.get(workshop.current_step)
    if workshop.status == WorkshopStatus.CLOSED:
        progress = pack.text("summary.complete")
    else:
        progress = pack.text("summary.partial", number=current.number, count=len(plan),
                             step=step_title(pack, current, len(workshop.phases)))
    assumptions = evidence_counts.get(Evidence.ASSUMPTION, 0)
    context = pack.text("summary.context", kind_name=kind_name, answers=pack.count("answers", len(filed)),
                        people=pack.count("people", len(people)), assumptions=pack.count("assumptions", assumptions),
                        research=format_number(pack.code, len(filed) - assumptions))
    return SummaryView(
        workshop_id=workshop.id, title=workshop.title, kind=workshop.kind, kind_name=kind_name,
        lang=workshop.lang, status=workshop.status, anonymous=workshop.anonymous,
        lane_order=lane_order, labels=_labels(pack, catalog), progress=progress,
        context=context,
        end_user=tuple(by_lane.get(Lane.END_USER, [])), phases=phases, insights=insights, hmw=hmw,
        experience=tuple(by_lane.get(Lane.EXPERIENCE, [])), intentions=tuple(by_lane.get(Lane.INTENTIONS, [])),
        storyboard=storyboard, item_count=len(filed), people_count=len(people),
        unsorted=tuple(item for item in by_lane.get(UNSORTED, []) if item.where is not None),
        evidence_counts=dict(evidence_counts), insight_themes=insight_themes,
        understand=any(ref.step.section == "understand" for ref in plan.refs),
        research=_research_view(phases, lane_order) if research else None,
        generated_at=now or datetime.now(timezone.utc),
    )
