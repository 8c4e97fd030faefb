"""Block Kit for every message, modal and tab journeybot shows, built with slack_sdk.models so
Slack's limits are checked where slack_sdk checks them, and kept by hand where it does not
(50 blocks per message, LIMITS.md)."""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from flows.catalog import FEELING_NAMES, NEGATIVE, NEUTRAL, POSITIVE
from flows.home import HomeNote, HomeResearch, HomeView, HomeWorkshop, UnsortedAnswer
from flows.research import CONFIRMED, REFUTED, STATE_MARKS, UNCLEAR, BoardPage
from flows.summary import (
    FEELING_EMOJI,
    EvidenceView,
    ItemView,
    PanelView,
    PhaseView,
    SummaryView,
    Theme,
    feeling_bucket,
)
from flows.texts import Pack, format_number
from flows.vocabulary import ThemeAction
from renderers.mrkdwn import clip, date_token, escape, fit_lines
from renderers.words import curve_line, insight_groups, share_checked, signed, source_detail, verdict_name, votes

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

def kickoff_message(pack: Pack, *, title: str, kind: str, template: str, lead_id: str, steps: str,
                    anonymous: bool = False, canvas_link: str | None = None) -> Message:
    text = pack.text("messages.kickoff", title=escape(title), kind_name=pack.text(f"kinds.{kind}.name"),
                     kind_about=pack.text(f"kinds.{kind}.about"), lead=f"<@{lead_id}>",
                     template_name=pack.text(f"templates.{template}"), steps=steps)
    if anonymous:
        text += "\n" + pack.text("anonymity.kickoff")
    if canvas_link:  # a standalone canvas, shared with the channel but not in its tab
        text += "\n" + pack.text("canvas.kickoff_link", link=canvas_link)
    return _message(text, [_section(text)])


def slack_date(pack: Pack, moment: datetime) -> str:
    """A date and time every reader sees in their own time zone."""
    return date_token(moment, pack.raw("deadlines.date_format"))


def prompt_message(pack: Pack, *, workshop_id: int, step_key: str, number: int, count: int, section: str,
                   title: str, prompt: str, progress: str | None = None, closed_note: str | None = None,
                   settles_phases: bool = False, due_at: datetime | None = None, answerable: bool = True) -> Message:
    """A step's prompt: answers go in its thread or through the Answer button (the phases step
    also has the lead's Set phases button; the research step has no Answer button: its boards take the research)."""
    blocks: list[Block] = [
        _context(pack.text("messages.prompt_header", number=number, count=count,
                           section=pack.text(f"sections.{section}"))),
        _header(title),
        _section(prompt),
    ]
    if closed_note is None and answerable:
        buttons = [ButtonElement(text=pack.text("messages.answer_button"), action_id="answer",
                                 value=f"{workshop_id}:{step_key}", style="primary")]
        if settles_phases:
            buttons.append(ButtonElement(text=pack.text("messages.phases_button"), action_id="edit_phases",
                                         value=str(workshop_id)))
        blocks.append(ActionsBlock(block_id="prompt_actions", elements=buttons))
    deadline = pack.text("deadlines.due", deadline=slack_date(pack, due_at)) if due_at and closed_note is None else None
    notes = [note for note in (deadline, progress, closed_note) if note]
    if notes:
        blocks.append(_context(" · ".join(notes)))
    return _message(f"{escape(title)}: {prompt}", blocks)  # the title is plain text, for the header


def choice_message(question: str, *, action_id: str, item_id: int, choices: Sequence[tuple[str, str]]) -> Message:
    """An ephemeral question with one button per choice (value, label), about one stored item."""
    buttons = [ButtonElement(text=clip(label, 75), action_id=f"{action_id}:{value}", value=f"{item_id}:{value}")
               for value, label in choices]
    return _message(question, [_section(question), ActionsBlock(block_id=f"{action_id}_choices", elements=buttons)])


def lane_question(pack: Pack, *, item_id: int, text: str, lanes: Sequence[str], lead_in: str | None = None) -> Message:
    question = pack.text("messages.ask_lane", text=escape(clip(text, 500)))
    return choice_message(f"{lead_in}\n{question}" if lead_in else question, action_id="set_lane",
                          item_id=item_id, choices=[(lane, pack.lane_label(lane)) for lane in lanes])


def feeling_question(pack: Pack, *, item_id: int, text: str) -> Message:
    choices = [(str(value), f"{FEELING_EMOJI[value]} {pack.text(f'feelings.{FEELING_NAMES[value]}')}")
               for value in (POSITIVE, NEUTRAL, NEGATIVE)]
    return choice_message(pack.text("messages.ask_feeling", text=escape(clip(text, 500))), action_id="set_feeling",
                          item_id=item_id, choices=choices)


@dataclass(frozen=True)
class Question:
    """A "How might we" question on the vote board."""

    item_id: int
    text: str
    votes: int


MAX_BOARD_QUESTIONS = MAX_MESSAGE_BLOCKS - 3  # the header, the help line and the "more" line


def vote_board(pack: Pack, *, workshop_id: int, questions: Sequence[Question], dot_votes: int) -> Message:
    """One section per question with its count and a Vote button; clicks update it in place."""
    title = pack.text("votes.board_title")
    blocks: list[Block] = [_header(title), _context(pack.text("votes.board_help", votes=pack.count("votes", dot_votes)))]
    for question in questions[:MAX_BOARD_QUESTIONS]:
        count = pack.text("votes.count", count=question.votes)
        blocks.append(SectionBlock(
            block_id=f"hmw_{question.item_id}",
            text=MarkdownTextObject(text=clip(f"{count}  {escape(question.text)}", MAX_SECTION_TEXT)),
            accessory=ButtonElement(text=pack.text("votes.button"), action_id=f"hmw_vote:{question.item_id}",
                                    value=f"{workshop_id}:{question.item_id}")))
    hidden = len(questions) - MAX_BOARD_QUESTIONS
    if hidden > 0:
        blocks.append(_context(pack.text("votes.more", count=hidden)))
    return _message(title, blocks)


def retired_board(pack: Pack) -> Message:
    """What an older vote message turns into when the lead posts a new one."""
    return text_message(pack.text("votes.board_moved"))


# -- the answer modal -------------------------------------------------------------

def answer_modal(pack: Pack, *, metadata: dict, step_title: str, lanes: Sequence[str], feeling_lane: str | None,
                 evidence_values: Sequence[str], text: str = "", pictograms: Sequence[str] = ()) -> dict:
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
    if pictograms:  # a storyboard scene: the team may pick the emoji its panel shows
        blocks.append(InputBlock(block_id="pictogram", label=pack.text("pictures.modal_pictogram"), optional=True,
                                 element=StaticSelectElement(action_id="value", options=[
                                     Option(value=name, label=f":{name}:") for name in pictograms])))
    evidence_options = [Option(value=value, label=pack.text(f"evidence.{value}")) for value in evidence_values]
    blocks.append(InputBlock(block_id="evidence", label=pack.text("modal.evidence_label"), element=RadioButtonsElement(
        action_id="value", options=evidence_options, initial_option=evidence_options[0])))
    return View(type="modal", callback_id="answer", private_metadata=json.dumps(metadata, separators=(",", ":")),
                title=clip(pack.text("modal.title"), 24), submit=clip(pack.text("modal.submit"), 24),
                close=clip(pack.text("modal.close"), 24), blocks=blocks).to_dict()


def phases_modal(pack: Pack, *, workshop_id: int, phases: Sequence[str]) -> dict:
    """The lead's modal for the journey's phases, one per line, in order."""
    return View(type="modal", callback_id="phases", private_metadata=json.dumps({"w": workshop_id}),
                title=clip(pack.text("modal.phases_title"), 24), submit=clip(pack.text("modal.submit"), 24),
                close=clip(pack.text("modal.close"), 24), blocks=[InputBlock(
                    block_id="phases", label=pack.text("modal.phases_label"), element=PlainTextInputElement(
                        action_id="value", multiline=True, max_length=MAX_ANSWER_INPUT,
                        initial_value="\n".join(phases) or None))]).to_dict()


# -- status and help -------------------------------------------------------------

def help_message(pack: Pack, lead_in: str | None = None) -> Message:
    text = pack.text("help.text")
    return text_message(f"{lead_in}\n{text}" if lead_in else text)


def delete_question(pack: Pack, *, workshop_id: int, title: str, has_canvas: bool = False) -> Message:
    """The lead's private last chance before a workshop and all its answers (and its canvas) are deleted."""
    question = pack.text("delete.question", title=escape(title))
    if has_canvas:
        question += " " + pack.text("canvas.delete_too")
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
    if item.state:
        parts.append(STATE_MARKS[item.state])
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
        parts.append(f"*{votes(view, item)}*")
    if item.where:
        parts.append(f"· _{escape(item.where)}_")
    if item.author and not item.draft:
        parts.append(f"— _{escape(item.author)}_")
    if item.is_research:
        parts.append(f"`{view.labels['summary.research_marker']}`")
    return clip(" ".join(parts), 1000)


def _theme_line(theme: Theme, view: SummaryView) -> str:
    """A theme of one note is that note; a bigger one is its label, how many notes, and who wrote them."""
    if theme.count == 1:
        return _item_line(theme.notes[0], view)
    parts = ["•"]
    if theme.feeling is not None:
        parts.append(FEELING_EMOJI[feeling_bucket(theme.feeling)])
    parts.append(f"*{escape(theme.label)}* ×{theme.count}")
    if theme.people:
        parts.append(f"— _{escape(', '.join(theme.people))}_")
    return clip(" ".join(parts), 1000)


def _list_section(title: str, items: Sequence[ItemView], view: SummaryView) -> tuple[SectionBlock, int]:
    """A titled list of items."""
    return _lines_section(title, [_item_line(item, view) for item in items], view)


def _insights_section(view: SummaryView) -> tuple[SectionBlock, int]:
    """The opportunities' themes, under the phase each sits in when any names one."""
    lines = []
    for title, themes in insight_groups(view):
        lines += ([f"_{escape(title)}_"] if title else []) + [_theme_line(theme, view) for theme in themes]
    return _lines_section(view.labels["summary.insights"], lines, view)


def _lines_section(title: str, lines: Sequence[str], view: SummaryView) -> tuple[SectionBlock, int]:
    lines = list(lines) or [f"_{view.labels['summary.nothing_yet']}_"]
    body, left_out = fit_lines(lines, limit=MAX_SECTION_TEXT - len(title) - 4, more=f"_{view.labels['summary.more']}_")
    return _section(f"*{title}*\n{body}"), left_out


def _feeling_line(phase: PhaseView, view: SummaryView) -> str:
    if phase.average_feeling is None:
        return ""
    counts = phase.feeling_counts
    spread = view.labels["summary.feeling_spread"].format(
        positive=counts[POSITIVE], neutral=counts[NEUTRAL], negative=counts[NEGATIVE])
    average = signed(phase.average_feeling, view.lang)
    return f"{view.labels['summary.average_feeling']}: {phase.feeling_emoji} {average} ({spread})"


def _curves_line(phase: PhaseView, view: SummaryView) -> str:
    """The phase's feeling as assumed and as research found it, once a research round is open."""
    if view.research is None or (phase.assumed_feeling is None and phase.researched_feeling is None):
        return ""
    return f"_{curve_line(view, phase)}_"


def _phase_section(phase: PhaseView, view: SummaryView) -> tuple[SectionBlock, int]:
    head = f"*{phase.number}. {escape(phase.name)}*"
    feeling = "\n".join(line for line in (_feeling_line(phase, view), _curves_line(phase, view)) if line)
    lanes = [lane for lane in view.lane_order if phase.lanes.get(lane)]
    budget = (MAX_SECTION_TEXT - len(head) - len(feeling) - 2) // max(len(lanes), 1) - 2
    parts, left_out = [head] + ([feeling] if feeling else []), 0
    for lane in lanes:
        body, cut = fit_lines([_theme_line(theme, view) for theme in phase.themes.get(lane, ())],
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
    sections = _understand_sections(view) if view.understand else []
    sections += [_panel_section(panel, view) for panel in view.storyboard]
    if view.unsorted:
        sections.append(_list_section(labels["summary.unsorted"], view.unsorted, view))
    left_out = sum(cut for _, cut in sections)
    blocks += [block for block, _ in sections]
    if left_out:
        blocks.append(_context(f"{labels['summary.more'].format(count=left_out)} · {labels['summary.full_export']}"))
    buttons = []  # for the leads; anyone else who presses them is told so
    if next(iter(view.all_themes()), None):
        buttons.append(ButtonElement(text=clip(labels["themes.edit_button"], 75), action_id="themes_edit",
                                     value=str(view.workshop_id)))
    if view.status == "active" and any(item.draft for item in view.hmw):
        buttons.append(ButtonElement(text=clip(labels["themes.drafts_button"], 75), action_id="hmw_drafts",
                                     value=str(view.workshop_id)))
    if buttons:
        blocks.append(ActionsBlock(block_id="themes", elements=buttons))
    fallback = labels["summary.header"].format(title=escape(view.title))
    return _message(fallback, blocks, truncated=bool(left_out))


def _understand_sections(view: SummaryView) -> list[tuple[SectionBlock, int]]:
    labels = view.labels
    sections = [_list_section(labels["summary.end_user"], view.end_user, view)]
    sections += [_phase_section(phase, view) for phase in view.phases]
    if view.research is not None:
        sections.append(_research_section(view))
    return sections + [_insights_section(view),
                       _list_section(labels["summary.hmw"], view.hmw, view),
                       _list_section(labels["summary.experience"], view.experience, view),
                       _list_section(labels["summary.intentions"], view.intentions, view)]


AUTO_CAPTION = "auto"  # the caption menu's first option: no pick, the most voted answer captions the panel


def _panel_section(panel: PanelView, view: SummaryView) -> tuple[SectionBlock, int]:
    """A storyboard panel: its caption (the team's pick) above the other answers, and with two answers or
    more a menu for the leads to pick the caption (anyone else who uses it is told so)."""
    labels, block_id = view.labels, f"panel_{panel.number}"
    title = f"*{escape(panel.title)}*"
    if panel.caption is None:
        return SectionBlock(block_id=block_id, text=MarkdownTextObject(
            text=clip(f"{title}\n_{labels['summary.nothing_yet']}_", MAX_SECTION_TEXT))), 0
    mark = f"*{labels['captions.caption']}*" + (f" · _{labels['captions.picked']}_" if panel.picked else "")
    head = f"{title}\n{mark}: {_item_line(panel.caption, view).removeprefix('• ')}"
    menu, note = _caption_menu(panel, view) if len(panel.items) > 1 else (None, "")
    if note:
        head += f"\n_{note}_"
    body, left_out = "", 0
    if panel.others:
        others = f"_{labels['pictures.other_answers']}_"
        body, left_out = fit_lines([_item_line(item, view) for item in panel.others],
                                   limit=MAX_SECTION_TEXT - len(head) - len(others) - 2,
                                   more=f"_{labels['summary.more']}_")
        body = f"\n{others}\n{body}"
    return SectionBlock(block_id=block_id, text=MarkdownTextObject(text=clip(head + body, MAX_SECTION_TEXT)),
                        accessory=menu), left_out


def caption_choices(panel: PanelView) -> tuple[ItemView, ...]:
    """The answers a caption menu offers: all of them, or past its hundred options the most voted, then the
    newest, keeping the current caption."""
    if len(panel.items) <= MAX_OPTIONS - 1:
        return panel.items
    ranked = [item for _, item in sorted(enumerate(panel.items), key=lambda pair: (-pair[1].votes, -pair[0]))]
    ranked = ranked[:MAX_OPTIONS - 1]  # panel.items are in the order written: a higher index is newer
    if panel.caption not in ranked:
        ranked[-1] = panel.caption
    return tuple(ranked)


def _caption_menu(panel: PanelView, view: SummaryView) -> tuple[StaticSelectElement, str]:
    """The caption menu (the most voted, then every answer with its votes) and what it says about the answers
    it leaves out, if any."""
    labels = view.labels
    auto = Option(value=AUTO_CAPTION, label=clip(labels["captions.most_voted"], MAX_OPTION_TEXT))
    choices = caption_choices(panel)
    options = [_option(f"★{item.votes} {item.text}" if item.votes else item.text, str(item.id)) for item in choices]
    picked = next((option for option, item in zip(options, choices) if panel.picked and item is panel.caption), auto)
    menu = StaticSelectElement(action_id=f"caption:{view.workshop_id}:{panel.key}", options=[auto, *options],
                               placeholder=clip(labels["captions.caption"], 150), initial_option=picked)
    note = "" if len(choices) == len(panel.items) else labels["captions.menu_note"].format(
        shown=len(choices), count=len(panel.items))
    return menu, note


def evidence_line(view: SummaryView, evidence: EvidenceView) -> str:
    """``refutes: … (Interview, 5 people) — Bram`` in mrkdwn."""
    author = f" — _{escape(evidence.author)}_" if evidence.author else ""
    link = f" <{escape(evidence.link)}|🔗>" if evidence.link else ""
    return (f"{verdict_name(view, evidence)}: {escape(' '.join(evidence.text.split()))} "
            f"({source_detail(view, evidence)}){author}{link}")


def _research_section(view: SummaryView) -> tuple[SectionBlock, int]:
    """What we believed and what we found: the share checked, refuted and disputed assumptions with their
    evidence, and the new findings."""
    labels, research = view.labels, view.research
    lines = [share_checked(view), f"_{labels['research.legend']}_"]
    for key, items in (("refuted_title", research.refuted), ("disputed_title", research.disputed)):
        lines.append(f"_{labels[f'research.{key}']}_")
        for item in items:
            lines.append(_item_line(item, view))
            lines += [f"    ↳ {clip(evidence_line(view, evidence), 600)}" for evidence in item.evidence_found]
        if not items:
            lines.append(labels["research.nothing"])
    lines.append(f"_{labels['research.findings_title']}_")
    lines += [_item_line(item, view) for item in research.findings] or [labels["research.nothing"]]
    title = labels["research.believed_title"]
    body, left_out = fit_lines(lines, limit=MAX_SECTION_TEXT - len(title) - 4, more=f"_{labels['summary.more']}_")
    return _section(f"*{title}*\n{body}"), left_out


# -- correcting the themes ------------------------------------------------------------

MAX_OPTIONS = 100  # a static select's limit
MAX_OPTION_TEXT = 75
MIN_OPTION_LABEL = 12  # characters of a theme's label an option keeps, however long its place
MAX_THEME_LABEL = 120
THEME_ACTIONS = tuple(ThemeAction)  # the order the lead is offered them


def theme_place(view: SummaryView, theme: Theme) -> str:
    """Where a theme sits: "2. Purchase · Feels", or the opportunities."""
    if theme.phase is None:
        return view.labels["summary.insights"]
    name = next((phase.name for phase in view.phases if phase.number == theme.phase), str(theme.phase))
    return view.labels["themes.place_phase"].format(number=theme.phase, phase=name, lane=view.labels[f"lane.{theme.lane}"])


def _option(text: str, value: str) -> Option:
    return Option(value=value, label=clip(" ".join(text.split()), MAX_OPTION_TEXT))


def _theme_option(view: SummaryView, theme: Theme, *, with_place: bool = True) -> Option:
    """The theme's place, label and count; a long label is shortened so the count still shows."""
    def line(label: str) -> str:
        if not with_place:
            return f"{label} ×{theme.count}"
        return view.labels["themes.option_line"].format(place=theme_place(view, theme), label=label, count=theme.count)
    room = MAX_OPTION_TEXT - len(line(""))
    return _option(line(clip(" ".join(theme.label.split()), max(room, MIN_OPTION_LABEL))), theme.id)


def _themes_modal(pack: Pack, callback_id: str, metadata: dict, submit_key: str, blocks: Sequence[Block]) -> dict:
    return _view("modal", blocks, callback_id=callback_id, private_metadata=json.dumps(metadata),
                 title=clip(pack.text("themes.modal_title"), 24), submit=clip(pack.text(submit_key), 24),
                 close=clip(pack.text("themes.cancel"), 24))


def themes_pick_modal(pack: Pack, view: SummaryView) -> dict:
    """The lead picks a theme (the first hundred, in summary order) and what to do with it."""
    options = [_theme_option(view, theme) for theme in view.all_themes()][:MAX_OPTIONS]
    actions = [Option(value=action, label=pack.text(f"themes.action_{action}")) for action in THEME_ACTIONS]
    return _themes_modal(pack, "themes_pick", {"w": view.workshop_id}, "themes.next", [
        InputBlock(block_id="theme", label=pack.text("themes.theme_label"),
                   element=StaticSelectElement(action_id="value", options=options)),
        InputBlock(block_id="action", label=pack.text("themes.action_label"),
                   element=RadioButtonsElement(action_id="value", options=actions, initial_option=actions[0]))])


def themes_edit_modal(pack: Pack, view: SummaryView, theme: Theme, action: str, mates: Sequence[Theme]) -> dict:
    """The details of one correction: a new label, the theme to merge into, or the note to move and where."""
    head = _context(f"{escape(theme_place(view, theme))}: *{escape(theme.label)}* ×{theme.count}")
    targets = [_theme_option(view, mate, with_place=False) for mate in mates][:MAX_OPTIONS - 1]
    if action == ThemeAction.RENAME:
        inputs = [InputBlock(block_id="label", label=pack.text("themes.new_label"), element=PlainTextInputElement(
            action_id="value", initial_value=theme.label, max_length=MAX_THEME_LABEL))]
    elif action == ThemeAction.MERGE:
        inputs = [InputBlock(block_id="target", label=clip(pack.text("themes.merge_target", label=theme.label), 2000),
                             element=StaticSelectElement(action_id="value", options=targets))]
    else:
        notes = [_option(note.text, str(note.id)) for note in theme.notes][:MAX_OPTIONS]
        own = Option(value="new", label=pack.text("themes.own_theme"))
        inputs = [InputBlock(block_id="note", label=pack.text("themes.move_note"),
                             element=StaticSelectElement(action_id="value", options=notes)),
                  InputBlock(block_id="target", label=pack.text("themes.move_target"),
                             element=StaticSelectElement(action_id="value", options=[own, *targets]))]
    metadata = {"w": view.workshop_id, "t": theme.id, "a": action}
    return _themes_modal(pack, "themes_edit", metadata, "themes.save", [head, *inputs])


def drafts_modal(pack: Pack, view: SummaryView) -> dict:
    """The lead picks drafts to put up for the vote; the options are numbered like the full list above them."""
    drafts = [item for item in view.hmw if item.draft][:MAX_OPTIONS]
    listing = "\n".join(f"{number}. {escape(item.text)}" for number, item in enumerate(drafts, start=1))
    options = [_option(f"{number}. {item.text}", str(item.id)) for number, item in enumerate(drafts, start=1)]
    return _view("modal", [
        _section(f"{pack.text('themes.drafts_intro')}\n{listing}"),
        InputBlock(block_id="drafts", label=pack.text("themes.drafts_label"),
                   element=StaticMultiSelectElement(action_id="value", options=options))],
        callback_id="hmw_drafts", private_metadata=json.dumps({"w": view.workshop_id}),
        title=clip(pack.text("themes.drafts_title"), 24), submit=clip(pack.text("themes.drafts_add"), 24),
        close=clip(pack.text("themes.cancel"), 24))


# -- the Home tab and what it opens -------------------------------------------------

MAX_VIEW_BLOCKS = 100
# Four lists (waiting, not sorted yet, active, past) of at most this many rows, with their titles and
# "… and N more", and the header stay under 100 blocks.
MAX_HOME_ROWS = 20


def _home_list(title: str, rows: Sequence[Block], more: str, empty: str | None = None) -> list[Block]:
    if not rows and empty is None:
        return []
    blocks: list[Block] = [DividerBlock(), _section(f"*{title}*")]
    blocks += rows[:MAX_HOME_ROWS] or [_context(empty)]
    if len(rows) > MAX_HOME_ROWS:
        blocks.append(_context(more.format(count=len(rows) - MAX_HOME_ROWS)))
    return blocks


def _home_row(text: str, *, label: str, action_id: str, value: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, MAX_SECTION_TEXT)),
                        accessory=ButtonElement(text=clip(label, 75), action_id=action_id, value=value))


def _home_line(pack: Pack, key: str, workshop: HomeWorkshop) -> str:
    """A workshop's line, in the workshop's language (``pack``)."""
    return pack.text(key, title=escape(workshop.title), channel=f"<#{workshop.channel_id}>", number=workshop.number,
                     count=workshop.count, step=escape(workshop.step), answers=workshop.answers)


def home_view(pack: Pack, home: HomeView, *, pack_of: Callable[[str], Pack]) -> dict:
    """One person's Home tab: what waits for their answer, their active workshops, the past ones.

    Headings are in the workspace's language (``pack``); each workshop's lines in its own (``pack_of(lang)``)."""
    more = pack.raw("home.more")
    blocks: list[Block] = [_header(pack.text("home.header"))]
    if not home.active and not home.past:
        blocks.append(_section(pack.text("home.none")))
    waiting = [_home_row(_home_line(pack_of(workshop.lang), "home.waiting_line", workshop),
                         label=pack_of(workshop.lang).text("home.answer_button"),
                         action_id=f"home_answer:{workshop.workshop_id}",
                         value=f"{workshop.workshop_id}:{workshop.step_key}")
               for workshop in home.waiting]
    blocks += _home_list(pack.text("home.waiting"), waiting, more,
                         empty=pack.text("home.waiting_none") if home.active else None)
    if home.unsorted:
        title = pack.text("unsorted.home_title" if all(answer.own for answer in home.unsorted) else "unsorted.home_title_lead")
        blocks += _home_list(title, [_unsorted_row(pack_of(answer.lang), answer) for answer in home.unsorted], more)
    active = [_home_row(line, label=pack_of(workshop.lang).text("captions.home_button"),
                        action_id=f"home_captions:{workshop.workshop_id}", value=str(workshop.workshop_id))
              if workshop.captions else _section(line)
              for workshop in home.active
              for line in [_home_line(pack_of(workshop.lang), "home.active_line", workshop)]]
    blocks += _home_list(pack.text("home.active"), active, more)
    past = [_home_row(_home_line(pack_of(workshop.lang), "home.past_line", workshop),
                      label=pack_of(workshop.lang).text("home.summary_button"),
                      action_id=f"home_summary:{workshop.workshop_id}", value=str(workshop.workshop_id))
            for workshop in home.past]
    blocks += _home_list(pack.text("home.past"), past, more)
    for index, research in enumerate(home.research):
        # the blocks left, shared by the rounds still to come
        budget = (MAX_VIEW_BLOCKS - len(blocks)) // (len(home.research) - index)
        if budget < MIN_HOME_RESEARCH_BLOCKS:
            break
        blocks += _home_research(pack_of(research.lang), research, budget)
    return _view("home", blocks)


MIN_HOME_RESEARCH_BLOCKS = 5  # a divider, one section of assumptions, the legend, checks and evidence


def _home_research(pack: Pack, research: HomeResearch, budget: int) -> list[Block]:
    """Every assumption with its state, in as many sections as the ``budget`` of blocks allows (the rest
    counted in a "more" line), then the person's checks and evidence."""
    more = pack.raw("home.more")
    title = pack.plural("research.home_title", len(research.notes), title=escape(research.title),
                        checked=format_number(pack.code, research.checked))
    sections = _sections_of(_note_lines(pack, research.notes), head=title,
                            count=budget - MIN_HOME_RESEARCH_BLOCKS + 1, more=more)
    checks = [pack.text("research.home_check_line", mark=STATE_MARKS[note.state], title=escape(research.title),
                        text=escape(clip(" ".join(note.text.split()), 200))) for note in research.checks]
    evidence = [pack.text("research.home_evidence_line", verdict=pack.text(f"research.verdict_{item.verdict}"),
                          text=escape(clip(" ".join(item.text.split()), 200)),
                          source=pack.text(f"research.source_{item.source}"),
                          note=escape(clip(" ".join(item.note.split()), 80))) for item in research.evidence]
    blocks: list[Block] = [DividerBlock(), *sections, _context(pack.text("research.legend"))]
    for heading, rows, empty in ((pack.text("research.home_checks"), checks, pack.text("research.home_no_checks")),
                                 (pack.text("research.home_evidence"), evidence, pack.text("research.home_no_evidence"))):
        text, _ = fit_lines(rows or [f"_{empty}_"], limit=MAX_SECTION_TEXT - len(heading) - 4, more=more)
        blocks.append(_section(f"*{heading}*\n{text}"))
    return blocks


def _sections_of(lines: Sequence[str], *, head: str, count: int, more: str) -> list[SectionBlock]:
    """``head`` and the lines in at most ``count`` sections of whole lines; the last says how many did not fit."""
    sections, rest, text = [], list(lines), head
    while len(sections) < count - 1 and rest:
        taken = 0
        while taken < len(rest) and len(text) + 1 + len(rest[taken]) <= MAX_SECTION_TEXT:
            text += "\n" + rest[taken]
            taken += 1
        if taken == len(rest):
            break
        sections.append(_section(text))
        rest, text = rest[taken:], ""
    body, _ = fit_lines(rest, limit=MAX_SECTION_TEXT - len(text) - 1, more=more)
    sections.append(_section(f"{text}\n{body}".strip("\n")))
    return sections


def _note_lines(pack: Pack, notes: Sequence[HomeNote]) -> list[str]:
    """One line per assumption with its state, and a heading line before each phase's first."""
    lines, phase = [], None
    for note in notes:
        if note.phase_number != phase:
            phase = note.phase_number
            lines.append(pack.text("research.home_phase", number=note.phase_number, phase=escape(note.phase)))
        lines.append(pack.text("research.home_note", mark=STATE_MARKS[note.state],
                               text=escape(clip(" ".join(note.text.split()), 200)), lane=pack.lane_label(note.lane)))
    return lines


def _unsorted_row(pack: Pack, answer: UnsortedAnswer) -> SectionBlock:
    """An answer waiting for its lane, with a menu of where it can go (the workshop's language for the choices)."""
    text = pack.text("unsorted.home_line", text=escape(clip(answer.text, 500)), title=escape(answer.title),
                     step=escape(answer.step), author=escape(answer.author))
    return SectionBlock(text=MarkdownTextObject(text=clip(text, MAX_SECTION_TEXT)), accessory=StaticSelectElement(
        action_id=f"home_sort:{answer.item_id}", placeholder=clip(pack.text("unsorted.home_placeholder"), 150),
        options=[Option(value=value, label=clip(label, 75)) for value, label in answer.choices]))


def _view(kind: str, blocks: Sequence[Block], **fields) -> dict:
    if len(blocks) > MAX_VIEW_BLOCKS:
        raise ValueError(f"{len(blocks)} blocks; a Slack view holds at most {MAX_VIEW_BLOCKS}")
    return View(type=kind, blocks=list(blocks), **fields).to_dict()


def _modal_chrome(pack: Pack, title_key: str) -> dict:
    return {"title": clip(pack.text(title_key), 24), "close": clip(pack.text("home.close"), 24)}


def summary_modal(pack: Pack, view: SummaryView) -> dict:
    """The summary, shown privately in a modal: the same blocks as the channel message."""
    return _view("modal", summary_message(view).blocks, **_modal_chrome(pack, "home.summary_title"))


def captions_modal(pack: Pack, view: SummaryView) -> dict:
    """A lead's storyboard captions: every panel as the summary shows it, with its caption menu."""
    blocks = [_context(pack.text("captions.modal_intro")), *(_panel_section(panel, view)[0] for panel in view.storyboard)]
    return _view("modal", blocks, **_modal_chrome(pack, "captions.modal_title"))


def notice_modal(pack: Pack, mrkdwn: str) -> dict:
    """A short notice where there is no channel to answer in (a click on the Home tab)."""
    return _view("modal", [_section(mrkdwn)], **_modal_chrome(pack, "home.notice_title"))


# -- the research round -------------------------------------------------------------

RESEARCH_BUTTONS = ((CONFIRMED, "button_confirmed"), (REFUTED, "button_refuted"), (UNCLEAR, "button_unclear"),
                    ("check", "button_check"))


def state_word(pack: Pack, state: str) -> str:
    """A state with its mark, readable without colour: ``✓ confirmed``."""
    return f"{STATE_MARKS[state]} {pack.text(f'research.state_{state}')}"


def research_board(pack: Pack, *, workshop_id: int, board: BoardPage, anonymous: bool) -> Message:
    """A page of one phase's assumptions in one lane, each with its state and the four buttons."""
    lane = pack.lane_label(board.lane)
    page = pack.text("research.board_page", page=board.page, pages=board.pages) if board.pages > 1 else ""
    head = pack.text("research.board_head", number=board.phase_number, phase=escape(board.phase), lane=lane, page=page)
    blocks: list[Block] = [_section(head)]
    for note in board.notes:
        author = "" if anonymous or not note.author else f" — _{escape(note.author)}_"
        line = pack.text("research.note_line", mark=STATE_MARKS[note.state], state=pack.text(f"research.state_{note.state}"),
                         text=escape(clip(" ".join(note.text.split()), 2500)), author=author)
        if note.theme:  # the first note of a theme of several: the theme's name above its notes
            label, size = note.theme
            line = pack.text("research.note_theme", theme=escape(label), size=size) + "\n" + line
        volunteers = (str(len(note.volunteers)) if anonymous else ", ".join(escape(name) for name in note.volunteers))
        meta = pack.text("research.note_meta", evidence=note.evidence, volunteers=volunteers or pack.text("research.nobody"))
        blocks.append(SectionBlock(block_id=f"note_{note.item_id}", text=MarkdownTextObject(text=clip(f"{line}\n{meta}", MAX_SECTION_TEXT))))
        blocks.append(ActionsBlock(block_id=f"verdicts_{note.item_id}", elements=[
            ButtonElement(text=pack.text(f"research.{label}"), action_id=f"research:{choice}:{note.item_id}",
                          value=f"{workshop_id}:{note.item_id}") for choice, label in RESEARCH_BUTTONS]))
    foot = pack.text("research.board_foot", lane=lane, phase=escape(board.phase))
    blocks.append(_context(foot))
    blocks.append(ActionsBlock(block_id="board_actions", elements=[ButtonElement(
        text=pack.text("research.button_finding"), action_id="research_finding",
        value=f"{workshop_id}:{board.phase_number}:{board.lane}")]))
    return _message(clip(head, MAX_SECTION_TEXT), blocks)


def _research_inputs(pack: Pack, sources: Sequence[str]) -> list[Block]:
    return [
        InputBlock(block_id="found", label=pack.text("research.found_label"), element=PlainTextInputElement(
            action_id="value", multiline=True, max_length=MAX_ANSWER_INPUT)),
        InputBlock(block_id="source", label=pack.text("research.source_label"), element=RadioButtonsElement(
            action_id="value", options=[Option(value=source, label=pack.text(f"research.source_{source}"))
                                        for source in sources])),
        InputBlock(block_id="people", label=pack.text("research.people_label"), optional=True,
                   element=PlainTextInputElement(action_id="value", max_length=12)),
        # A plain text input, so a link that is no URL reaches the bot and gets its polite answer.
        InputBlock(block_id="link", label=pack.text("research.link_label"), optional=True,
                   element=PlainTextInputElement(action_id="value", max_length=2000)),
    ]


def evidence_modal(pack: Pack, *, metadata: dict, note: str, verdict: str, sources: Sequence[str]) -> dict:
    """Evidence on an assumption; the verdict the person pressed is preselected."""
    verdicts = [Option(value=value, label=pack.text(f"research.verdict_{value}")) for value in (CONFIRMED, REFUTED, UNCLEAR)]
    blocks: list[Block] = [
        _context(pack.text("research.modal_about", text=escape(clip(note, 1500)))),
        InputBlock(block_id="verdict", label=pack.text("research.verdict_label"), element=RadioButtonsElement(
            action_id="value", options=verdicts, initial_option=next(o for o in verdicts if o.value == verdict))),
        *_research_inputs(pack, sources),
    ]
    return View(type="modal", callback_id="research_evidence", private_metadata=json.dumps(metadata, separators=(",", ":")),
                title=clip(pack.text("research.evidence_title"), 24), submit=clip(pack.text("modal.submit"), 24),
                close=clip(pack.text("modal.close"), 24), blocks=blocks).to_dict()


def finding_modal(pack: Pack, *, metadata: dict, phase: str, lane: str, feeling: bool, sources: Sequence[str]) -> dict:
    """A new research finding for one phase and lane (the board's)."""
    blocks: list[Block] = [_context(pack.text("research.modal_finding_about", phase=escape(phase)) + f" · _{pack.lane_label(lane)}_"),
                           *_research_inputs(pack, sources)]
    if feeling:
        blocks.insert(2, InputBlock(block_id="feeling", label=pack.text("research.feeling_label"), optional=True,
                                    element=RadioButtonsElement(action_id="value", options=[
                                        Option(value=str(value), label=f"{FEELING_EMOJI[value]} {pack.text(f'feelings.{name}')}")
                                        for value, name in FEELING_NAMES.items()])))
    return View(type="modal", callback_id="research_finding", private_metadata=json.dumps(metadata, separators=(",", ":")),
                title=clip(pack.text("research.finding_title"), 24), submit=clip(pack.text("modal.submit"), 24),
                close=clip(pack.text("modal.close"), 24), blocks=blocks).to_dict()
