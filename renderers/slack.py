"""Block Kit for every message, modal and tab journeybot shows, built with slack_sdk.models so
Slack's limits are checked where slack_sdk checks them, and kept by hand where it does not
(50 blocks per message, LIMITS.md)."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock, Block, ButtonElement, ConfirmObject, ContextBlock, HeaderBlock, InputBlock,
    MarkdownTextObject, Option, PlainTextInputElement, PlainTextObject, RadioButtonsElement, SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from flows.catalog import FEELING_NAMES, NEGATIVE, NEUTRAL, POSITIVE
from flows.summary import FEELING_EMOJI, ItemView, PhaseView, SummaryView
from flows.texts import Pack
from renderers.mrkdwn import clip, escape, fit_lines

MAX_MESSAGE_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_ANSWER_INPUT = 3000


@dataclass(frozen=True)
class Message:
    """What chat.postMessage needs: a notification fallback and the blocks."""

    text: str
    blocks: list[dict]
    truncated: bool = False


def _message(text: str, blocks: Sequence[Block], truncated: bool = False) -> Message:
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        raise ValueError(f"{len(blocks)} blocks; a Slack message holds at most {MAX_MESSAGE_BLOCKS}")
    return Message(text=clip(text, MAX_SECTION_TEXT), blocks=[block.to_dict() for block in blocks], truncated=truncated)


def _section(mrkdwn: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(mrkdwn, MAX_SECTION_TEXT)))


def _header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(text, MAX_HEADER_TEXT), emoji=True))


def _context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(mrkdwn, MAX_SECTION_TEXT))])


def text_message(mrkdwn: str) -> Message:
    """A short private answer: the pack's words, with people's text already escaped by the caller."""
    return _message(mrkdwn, [_section(mrkdwn)])


# -- the workshop's messages ----------------------------------------------------

def kickoff_message(pack: Pack, *, title: str, kind: str, template: str, lead_id: str, steps: str) -> Message:
    text = pack.text("messages.kickoff", title=escape(title), kind_name=pack.text(f"kinds.{kind}.name"),
                     kind_about=pack.text(f"kinds.{kind}.about"), lead=f"<@{lead_id}>",
                     template_name=pack.text(f"templates.{template}"), steps=steps)
    return _message(text, [_section(text)])


def prompt_message(pack: Pack, *, workshop_id: int, step_key: str, number: int, count: int, section: str,
                   title: str, prompt: str, progress: str | None = None, closed_note: str | None = None) -> Message:
    """A step's prompt: answers go in its thread or through the Answer button."""
    blocks: list[Block] = [
        _context(pack.text("messages.prompt_header", number=number, count=count,
                           section=pack.text(f"sections.{section}"))),
        _header(title),
        _section(prompt),
    ]
    if closed_note is None:
        blocks.append(ActionsBlock(block_id="prompt_actions", elements=[ButtonElement(
            text=pack.text("messages.answer_button"), action_id="answer", value=f"{workshop_id}:{step_key}",
            style="primary")]))
    notes = [note for note in (progress, closed_note) if note]
    if notes:
        blocks.append(_context(" · ".join(notes)))
    return _message(f"{title}: {prompt}", blocks)


def choice_message(question: str, *, action_id: str, item_id: int, choices: Sequence[tuple[str, str]]) -> Message:
    """An ephemeral question with one button per choice (value, label), about one stored item."""
    buttons = [ButtonElement(text=clip(label, 75), action_id=f"{action_id}:{value}", value=f"{item_id}:{value}")
               for value, label in choices]
    return _message(question, [_section(question), ActionsBlock(block_id=f"{action_id}_choices", elements=buttons)])


def lane_question(pack: Pack, *, item_id: int, text: str, lanes: Sequence[str]) -> Message:
    return choice_message(pack.text("messages.ask_lane", text=escape(clip(text, 500))), action_id="set_lane",
                          item_id=item_id, choices=[(lane, pack.lane_label(lane)) for lane in lanes])


def feeling_question(pack: Pack, *, item_id: int, text: str) -> Message:
    choices = [(str(value), f"{FEELING_EMOJI[value]} {pack.text(f'feelings.{FEELING_NAMES[value]}')}")
               for value in (POSITIVE, NEUTRAL, NEGATIVE)]
    return choice_message(pack.text("messages.ask_feeling", text=escape(clip(text, 500))), action_id="set_feeling",
                          item_id=item_id, choices=choices)


# -- the answer modal -------------------------------------------------------------

def answer_modal(pack: Pack, *, metadata: dict, step_title: str, lanes: Sequence[str], feeling_lane: str | None,
                 evidence_values: Sequence[str], text: str = "") -> dict:
    """The modal behind the Answer button; ``metadata`` comes back with the submission."""
    blocks: list[Block] = [_context(escape(step_title))]
    if len(lanes) > 1:
        blocks.append(InputBlock(block_id="lane", label=pack.text("modal.lane_label"), element=StaticSelectElement(
            action_id="value", options=[Option(value=lane, label=pack.lane_label(lane)) for lane in lanes])))
    blocks.append(InputBlock(block_id="text", label=pack.text("modal.text_label"), optional=feeling_lane is not None,
                             element=PlainTextInputElement(action_id="value", multiline=True, max_length=MAX_ANSWER_INPUT,
                                                           initial_value=text or None)))
    if feeling_lane in lanes:
        blocks.append(InputBlock(block_id="feeling", label=pack.text("modal.feeling_label"), optional=True,
                                 element=RadioButtonsElement(action_id="value", options=[
                                     Option(value=str(value), label=f"{FEELING_EMOJI[value]} {pack.text(f'feelings.{name}')}")
                                     for value, name in FEELING_NAMES.items()])))
        blocks.append(InputBlock(block_id="why", label=pack.text("modal.why_label"), optional=True,
                                 element=PlainTextInputElement(action_id="value", max_length=MAX_ANSWER_INPUT)))
    evidence_options = [Option(value=value, label=pack.text(f"evidence.{value}")) for value in evidence_values]
    blocks.append(InputBlock(block_id="evidence", label=pack.text("modal.evidence_label"), element=RadioButtonsElement(
        action_id="value", options=evidence_options, initial_option=evidence_options[0])))
    return View(type="modal", callback_id="answer", private_metadata=json.dumps(metadata, separators=(",", ":")),
                title=clip(pack.text("modal.title"), 24), submit=clip(pack.text("modal.submit"), 24),
                close=clip(pack.text("modal.close"), 24), blocks=blocks).to_dict()


# -- status and help -------------------------------------------------------------

def help_message(pack: Pack, lead_in: str | None = None) -> Message:
    text = pack.text("help.text")
    return text_message(f"{lead_in}\n{text}" if lead_in else text)


def delete_question(pack: Pack, *, workshop_id: int, title: str) -> Message:
    """The lead's private last chance before a workshop and all its answers are deleted."""
    question = pack.text("delete.question", title=escape(title))
    confirm = ConfirmObject(title=clip(pack.text("delete.dialog_title"), 100),
                            text=MarkdownTextObject(text=pack.text("delete.dialog_text", title=escape(title))),
                            confirm=clip(pack.text("delete.confirm"), 30), deny=clip(pack.text("delete.cancel"), 30),
                            style="danger")
    buttons = [ButtonElement(text=pack.text("delete.confirm"), action_id="delete_confirm", value=str(workshop_id),
                             style="danger", confirm=confirm),
               ButtonElement(text=pack.text("delete.cancel"), action_id="delete_cancel", value=str(workshop_id))]
    return _message(question, [_section(question), ActionsBlock(block_id="delete_choices", elements=buttons)])


# -- the summary --------------------------------------------------------------------

def _item_line(item: ItemView, view: SummaryView) -> str:
    parts = ["•"]
    if item.feeling is not None:
        parts.append(FEELING_EMOJI[item.feeling])
    text = escape(" ".join(item.text.split()))
    if not text and item.feeling is not None:
        text = f"_{view.labels[f'feeling.{FEELING_NAMES[item.feeling]}']}_"
    parts.append(text)
    if item.why:
        parts.append(f"({escape(' '.join(item.why.split()))})")
    if item.draft:
        parts.append(f"_({view.labels['summary.draft']})_")
    if item.votes:
        parts.append(f"*{view.labels['summary.votes'].format(count=item.votes)}*")
    if item.author and not item.draft:
        parts.append(f"— _{escape(item.author)}_")
    if item.is_research:
        parts.append(f"`{view.labels['summary.research_marker']}`")
    return clip(" ".join(parts), 1000)


def _list_section(title: str, items: Sequence[ItemView], view: SummaryView) -> tuple[SectionBlock, int]:
    lines = [_item_line(item, view) for item in items] or [f"_{view.labels['summary.nothing_yet']}_"]
    body, left_out = fit_lines(lines, limit=MAX_SECTION_TEXT - len(title) - 4, more=f"_{view.labels['summary.more']}_")
    return _section(f"*{title}*\n{body}"), left_out


def _feeling_line(phase: PhaseView, view: SummaryView) -> str:
    if phase.average_feeling is None:
        return ""
    counts = phase.feeling_counts
    spread = view.labels["summary.feeling_spread"].format(
        positive=counts[POSITIVE], neutral=counts[NEUTRAL], negative=counts[NEGATIVE])
    return f"{view.labels['summary.average_feeling']}: {phase.feeling_emoji} {phase.average_feeling:+.2f} ({spread})"


def _phase_section(phase: PhaseView, view: SummaryView) -> tuple[SectionBlock, int]:
    head = f"*{phase.number}. {escape(phase.name)}*"
    feeling = _feeling_line(phase, view)
    lanes = [lane for lane in view.lane_order if phase.lanes.get(lane)]
    budget = (MAX_SECTION_TEXT - len(head) - len(feeling) - 2) // max(len(lanes), 1) - 2
    parts, left_out = [head] + ([feeling] if feeling else []), 0
    for lane in lanes:
        body, cut = fit_lines([_item_line(item, view) for item in phase.lanes[lane]],
                              limit=budget - len(view.labels[f"lane.{lane}"]) - 3,
                              more=f"_{view.labels['summary.more']}_")
        parts.append(f"_{view.labels[f'lane.{lane}']}_\n{body}")
        left_out += cut
    if not lanes:
        parts.append(f"_{view.labels['summary.nothing_yet']}_")
    return _section("\n".join(parts)), left_out


def summary_message(view: SummaryView) -> Message:
    """The journey summary as one Slack message; ``truncated`` says whether items were left out."""
    labels = view.labels
    blocks: list[Block] = [
        _header(labels["summary.header"].format(title=view.title)),
        _context(f"{escape(view.progress)} · {escape(view.context)}"),
    ]
    sections = [_list_section(labels["summary.end_user"], view.end_user, view)]
    sections += [_phase_section(phase, view) for phase in view.phases]
    sections += [_list_section(labels["summary.insights"], view.insights, view),
                 _list_section(labels["summary.hmw"], view.hmw, view),
                 _list_section(labels["summary.experience"], view.experience, view),
                 _list_section(labels["summary.intentions"], view.intentions, view)]
    sections += [_list_section(escape(panel.title), panel.items, view) for panel in view.storyboard]
    left_out = sum(cut for _, cut in sections)
    blocks += [block for block, _ in sections]
    if left_out:
        blocks.append(_context(f"{labels['summary.more'].format(count=left_out)} · {labels['summary.full_export']}"))
    fallback = labels["summary.header"].format(title=escape(view.title))
    return _message(fallback, blocks, truncated=bool(left_out))
