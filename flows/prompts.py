"""The words of each step, filled in for one workshop."""
from __future__ import annotations

from collections.abc import Sequence

from flows.engine import Plan, StepRef
from flows.texts import Pack


def step_title(pack: Pack, ref: StepRef, phase_count: int) -> str:
    return pack.text(f"steps.{ref.step.id}.title", phase=ref.phase or "", phase_number=ref.phase_number or 0,
                     phase_count=phase_count)


def step_prompt(pack: Pack, ref: StepRef, *, kind: str, phases: Sequence[str]) -> str:
    """The prompt's question, with the step's example."""
    touchpoint_hint = ""
    if ref.step.per_phase and "touchpoints" in ref.step.lanes_for(kind):
        touchpoint_hint = pack.text(f"steps.{ref.step.id}.touchpoint_hint")
    question = pack.text(
        f"steps.{ref.step.id}.prompt",
        kind=pack.text(f"kinds.{kind}.name"),
        phases=", ".join(pack.raw(f"kinds.{kind}.default_phases")) if not phases else ", ".join(phases),
        phase=ref.phase or "",
        touchpoint_hint=touchpoint_hint,
    )
    example = pack.text("messages.example", example=pack.text(f"steps.{ref.step.id}.example"))
    return f"{question}\n{example}"


def step_list(pack: Pack, plan: Plan) -> str:
    """All steps in one line, as the kickoff message lists them."""
    return " → ".join(
        ref.phase if ref.step.per_phase and ref.phase else step_title(pack, ref, 0).split(":")[0]
        for ref in plan.refs
    )
