"""The words of each step, filled in for one workshop.

Phase names are typed by people; ``escape`` makes them safe for the output at
hand (the Slack renderer passes its mrkdwn escape).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from flows.engine import Plan, StepRef
from flows.texts import Pack
from flows.vocabulary import Lane

Escape = Callable[[str], str]


def _same(text: str) -> str:
    return text


def step_title(pack: Pack, ref: StepRef, phase_count: int, escape: Escape = _same) -> str:
    """The step's title where its position in the workshop is said next to it ("Step 12 of 16: …"), so a
    storyboard step does not say its place in the storyboard as well."""
    title = own_title(pack, ref, phase_count, escape)
    return pack.text("storyboard_titles.placed", title=title) if ref.step.section == "storyboard" else title


def step_heading(pack: Pack, plan: Plan, ref: StepRef, phase_count: int, escape: Escape = _same) -> str:
    """The step's title where nothing next to it says its position: a storyboard step says its place
    among the workshop's storyboard steps ("Storyboard 1 of 5: …")."""
    if ref.step.section != "storyboard":
        return step_title(pack, ref, phase_count, escape)
    keys = [other.key for other in plan.refs if other.step.section == "storyboard"]
    return pack.text("storyboard_titles.numbered", number=keys.index(ref.key) + 1, count=len(keys),
                     title=own_title(pack, ref, phase_count, escape))


def own_title(pack: Pack, ref: StepRef, phase_count: int, escape: Escape = _same) -> str:
    """The title as the step's wording has it; a storyboard step's title names only its scene."""
    return pack.text(f"steps.{ref.step.id}.title", phase=escape(ref.phase or ""),
                     phase_number=ref.phase_number or 0, phase_count=phase_count)


def step_prompt(pack: Pack, ref: StepRef, *, kind: str, phases: Sequence[str], escape: Escape = _same,
                takes_insights: bool = False) -> str:
    """The prompt's question, with the step's example; ``takes_insights``: a phase's thread that also takes
    insights about the phase (filed with the opportunities) says so."""
    touchpoint_hint = ""
    if ref.step.per_phase and Lane.TOUCHPOINTS in ref.step.lanes_for(kind):
        touchpoint_hint = pack.text(f"steps.{ref.step.id}.touchpoint_hint")
    suggested = phases or pack.raw(f"kinds.{kind}.default_phases")
    question = pack.text(
        f"steps.{ref.step.id}.prompt",
        kind=pack.text(f"kinds.{kind}.name"),
        phases=", ".join(escape(phase) for phase in suggested),
        phase=escape(ref.phase or ""),
        touchpoint_hint=touchpoint_hint,
    )
    if takes_insights:
        question += "\n" + pack.text("phase_threads.insight_hint")
    example = pack.text("messages.example", example=pack.text(f"steps.{ref.step.id}.example"))
    return f"{question}\n{example}"


def step_list(pack: Pack, plan: Plan, escape: Escape = _same) -> str:
    """All steps in one line, as the kickoff message lists them."""
    return " → ".join(escape(ref.phase) if ref.phase else pack.text(f"steps.{ref.step.id}.short") for ref in plan.refs)
