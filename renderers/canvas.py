"""The summary as a Slack canvas: the markdown that `canvases.edit` and `conversations.canvases.create` take.

Canvas markdown is Markdown with Slack's own additions: `![](@U123)` mentions a person, `![](#C123)`
a channel, and bare URLs become links. What people wrote goes through ``canvas_text``, which makes
every character that could open one of those (or a heading, list, quote, table cell, emphasis or code)
a literal one, so an answer can only ever be a line of text.

Where notes are grouped into themes, a phase's lane lists the themes (label, how many notes, who wrote
them) with their notes beneath, as the Markdown export does. During a research round the assumptions
are a checklist (``assumption_checklist``); further sections can be added to ``SECTIONS``.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flows.research import CONFIRMED, REFUTED
from flows.summary import FEELING_EMOJI, ItemView, PanelView, SummaryView, Theme, feeling_bucket
from renderers.words import (
    author_name,
    evidence_name,
    feeling_spread,
    insight_groups,
    label,
    signed,
    state_mark,
    state_name,
    votes,
)

# Backslash-escaped wherever they are: Markdown's inline syntax, table cells, HTML and Slack's `<!here>`,
# mentions (`![](@U…)`), e-mail autolinks (`@`), and `#` (a heading's closing marks).
_ESCAPES = str.maketrans({char: "\\" + char for char in "\\`*_~[]()<>!|&#@"})
# At the start of the text (right after a list marker or a cell's edge) these open a list or a rule.
_BLOCK_OPENERS = tuple("+-=")
# A scheme's `://` and a dot inside a word (`evil.example`, `www.x`): what makes text a bare link.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9]):(?=//)|(?<=\w)\.(?=\w)")
_ORDERED_LIST_NUMBER = re.compile(r"^(\d+)([.)])")


def canvas_text(text: object) -> str:
    """User text made inert for canvas markdown, on one line: it shows as typed and opens nothing."""
    flat = " ".join(str(text).split())
    escaped = flat.translate(_ESCAPES)
    escaped = _AUTOLINK.sub(lambda match: "\\" + match.group(0), escaped)  # https://…, evil.example stay text
    if escaped.startswith(_BLOCK_OPENERS):
        return "\\" + escaped
    return _ORDERED_LIST_NUMBER.sub(r"\1\\\2", escaped)


@dataclass(frozen=True)
class ChecklistItem:
    """One line of a checklist, e.g. an assumption the research round is checking."""

    text: str  # as people wrote it; escaped when drawn
    done: bool
    state: str = ""  # a word for its state, already localized (e.g. "confirmed by 2 interviews")


@dataclass(frozen=True)
class CanvasPage:
    """What the canvas shows besides the summary view model."""

    view: SummaryView
    map_link: str | None = None  # the journey map picture's permalink, once /journey summary posted it
    assumptions: Sequence[ChecklistItem] = ()  # during a research round

    def label(self, key: str, **values: object) -> str:
        return label(self.view, key, **values)


def _note(page: CanvasPage, item: ItemView) -> str:
    view = page.view
    parts = [state_mark(item.state)] if item.state is not None else []
    if item.feeling is not None:
        parts.append(FEELING_EMOJI[item.feeling])
    parts.append(canvas_text(item.text))
    if item.why:
        parts.append(f"({canvas_text(item.why)})")
    if item.draft:
        parts.append(f"_({page.label('summary.draft')})_")
    elif not view.anonymous and item.author:
        parts.append(f"— {canvas_text(author_name(view, item))}")
    if item.votes:
        parts.append(f"· **{votes(view, item)}**")
    if item.is_research:
        parts.append(f"· _{evidence_name(view, item)}_")
    if item.where:  # an unsorted answer outside the phases: the step it answered
        parts.append(f"· _{canvas_text(item.where)}_")
    return "- " + " ".join(parts)


def _notes(page: CanvasPage, items: Sequence[ItemView]) -> list[str]:
    return [_note(page, item) for item in items] or [f"_{page.label('summary.nothing_yet')}_"]


def _theme(page: CanvasPage, theme: Theme) -> list[str]:
    """A theme of one note is that note; a bigger one is its label, how many notes and who wrote them
    (nobody in anonymous workshops: ``people`` is empty there), with its notes indented beneath."""
    if theme.count == 1:
        return [_note(page, theme.notes[0])]
    parts = ["-"]
    if theme.feeling is not None:
        parts.append(FEELING_EMOJI[feeling_bucket(theme.feeling)])
    parts.append(f"**{canvas_text(theme.label)}** ×{theme.count}")
    if theme.people:
        parts.append(f"— {canvas_text(', '.join(theme.people))}")
    return [" ".join(parts), *("  " + _note(page, item) for item in theme.notes)]


def _themed(page: CanvasPage, themes: Sequence[Theme]) -> list[str]:
    return [line for theme in themes for line in _theme(page, theme)] or [f"_{page.label('summary.nothing_yet')}_"]


def _intro(page: CanvasPage) -> list[str]:
    lines = [f"_{canvas_text(page.view.progress)}_", "", canvas_text(page.view.context)]
    if page.map_link:
        lines += ["", f"[{page.label('canvas.labels.map_link')}]({page.map_link})"]
    return lines


def _end_user(page: CanvasPage) -> list[str]:
    return [f"## {page.label('summary.end_user')}", "", *_notes(page, page.view.end_user)]


def _journey(page: CanvasPage) -> list[str]:
    view = page.view
    lines = [f"## {page.label('summary.phases')}"]
    for phase in view.phases:
        lines += ["", f"### {phase.number}. {canvas_text(phase.name)}"]
        for lane in view.lane_order:
            lines += ["", f"**{page.label('lane.' + lane)}**", "", *_themed(page, phase.themes.get(lane, ()))]
    if not view.phases:
        lines += ["", f"_{page.label('summary.nothing_yet')}_"]
    return lines


def _feelings(page: CanvasPage) -> list[str]:
    """The feeling per phase as a table: its average, the spread of the answers, and its emoji."""
    lines = [f"## {page.label('canvas.labels.feelings')}", ""]
    felt = [phase for phase in page.view.phases if phase.average_feeling is not None]
    if not felt:
        return [*lines, f"_{page.label('summary.nothing_yet')}_"]
    headers = (page.label("canvas.labels.phase"), page.label("summary.average_feeling"),
               page.label("canvas.labels.spread"), "")
    lines += [f"| {' | '.join(headers)} |", "|---|---:|---|:---:|"]
    for phase in felt:
        cells = (f"{phase.number}. {canvas_text(phase.name)}", signed(phase.average_feeling, page.view.lang),
                 feeling_spread(page.view, phase), phase.feeling_emoji)
        lines.append(f"| {' | '.join(cells)} |")
    return lines


def _insights(page: CanvasPage) -> list[str]:
    """The opportunities, under the phase each sits in when any names one."""
    lines = [f"## {page.label('summary.insights')}"]
    for title, themes in insight_groups(page.view):
        lines += (["", f"**{canvas_text(title)}**"] if title else []) + ["", *_themed(page, themes)]
    return lines


def _section(key: str, items: Callable[[SummaryView], Sequence[ItemView]]) -> Callable[[CanvasPage], list[str]]:
    def draw(page: CanvasPage) -> list[str]:
        return [f"## {page.label('summary.' + key)}", "", *_notes(page, items(page.view))]
    return draw


def _panel(page: CanvasPage, panel: PanelView) -> list[str]:
    """The panel's caption (the team's pick), then its other answers."""
    if panel.caption is None:
        return _notes(page, panel.items)
    mark = f"**{page.label('captions.caption')}**"
    if panel.picked:
        mark += f" · _{page.label('captions.picked')}_"
    lines = [mark, "", _note(page, panel.caption)]
    if panel.others:
        lines += ["", f"_{page.label('pictures.other_answers')}_", "", *_notes(page, panel.others)]
    return lines


def _storyboard(page: CanvasPage) -> list[str]:
    """The panels; nothing for a template without the storyboard."""
    if not page.view.storyboard:
        return []
    lines = [f"## {page.label('summary.storyboard')}"]
    for panel in page.view.storyboard:
        lines += ["", f"### {canvas_text(panel.title)}", "", *_panel(page, panel)]
    return lines


def _unsorted(page: CanvasPage) -> list[str]:
    """Answers nobody has sorted yet (outside the phases; those show in their phase)."""
    if not page.view.unsorted:
        return []
    return [f"## {page.label('summary.unsorted')}", "", *_notes(page, page.view.unsorted)]


def assumption_checklist(view: SummaryView) -> tuple[ChecklistItem, ...]:
    """The journey's assumptions in map order once a research round is open; settled ones (confirmed or
    refuted) are ticked, and each says its state: ✓ confirmed, ✗ refuted, ? open, ⚡ disputed."""
    if view.research is None:
        return ()
    return tuple(ChecklistItem(item.text, done=item.state in (CONFIRMED, REFUTED),
                               state=f"{state_mark(item.state)} {state_name(view, item.state)}")
                 for phase in view.phases for lane in view.lane_order for item in phase.lanes.get(lane, ())
                 if item.state is not None)


def _assumptions(page: CanvasPage) -> list[str]:
    if not page.assumptions:
        return []
    lines = [f"## {page.label('canvas.labels.assumptions')}", ""]
    for item in page.assumptions:
        state = f" · _{canvas_text(item.state)}_" if item.state else ""
        lines.append(f"- [{'x' if item.done else ' '}] {canvas_text(item.text)}{state}")
    return lines


def _understanding(section: Callable[[CanvasPage], list[str]]) -> Callable[[CanvasPage], list[str]]:
    """A section of the Understand phase: nothing for a storyboard-only template."""
    return lambda page: section(page) if page.view.understand else []


SECTIONS: tuple[Callable[[CanvasPage], list[str]], ...] = (
    _intro, *map(_understanding, (
        _end_user, _journey, _feelings, _insights, _section("hmw", lambda view: view.hmw),
        _section("experience", lambda view: view.experience), _section("intentions", lambda view: view.intentions))),
    _storyboard, _unsorted, _assumptions,
)


def canvas_title(view: SummaryView) -> str:
    """The canvas's title: a plain string, not markdown, so it needs no escaping."""
    return label(view, "summary.header", title=" ".join(view.title.split()))


def to_canvas_markdown(page: CanvasPage) -> str:
    blocks = ["\n".join(lines) for lines in (section(page) for section in SECTIONS) if lines]
    footer = f"_{page.label('summary.generated', date=page.view.generated_at.strftime('%Y-%m-%d'))}_"
    return "\n\n".join([*blocks, "---", footer]) + "\n"
