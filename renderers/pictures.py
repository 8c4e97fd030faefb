"""Pictures of a summary as PNG bytes: the journey map and the storyboard.

Everything is laid out in inches, measured before it is drawn: every sticky note is as tall as
its wrapped text and every row as tall as its fullest cell, so no text is cut or runs into its
neighbour. A map too tall for Slack's inline preview shows each cell's themes instead of its
notes (the largest first, as many as fit), and the full map with every note comes as a second,
larger picture.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from flows.catalog import FEELING_NAMES, NEGATIVE, NEUTRAL, POSITIVE
from flows.summary import ItemView, PanelView, PhaseView, SummaryView, Theme, feeling_bucket, insight_text
from renderers import shapes, story, typeset
from renderers.sheet import (
    BOLD_WIDER, INK, LINE, MUTED, NOTE_COLORS, NOTE_SIZE, SHADE, THEME_EDGE, Sheet, Sticky, draw_sticky, ems,
    lay_out_sticky, line_height, right_to_left,
)
from renderers.words import author_name, label, signed

MIN_WIDTH, MAX_WIDTH = 16.0, 24.0  # inches: 1600–2400 px, sharp in Slack's preview and full size
INLINE_MAX_HEIGHT = 24.0  # inches: taller, and Slack's preview shrinks the notes past reading
FULL_MAX_HEIGHT = 200.0  # inches (20,000 px): about 1,500 notes; more are listed by the summary
CURVE_COLOR = "#7b1fa2"  # used for nothing else, so the curve can be found in the picture
ASSUMED_CURVE_COLOR = "#e65100"  # the curve of the assumptions, dashed with square markers beside the solid one
RESEARCH_SHIFT = 0.2  # inches: the two curves side by side in each column, so equal feelings still show both
FEELING_COLORS = {POSITIVE: "#2e7d32", NEUTRAL: "#8d8d8d", NEGATIVE: "#c62828"}
FIX_COLOR = "#d32f2f"
SPREAD_COLOR = "#b0b4ba"
CURVE_WIDTH, MARKER_SIZE = 3.5, 9.0  # points
FIX_RING_RADIUS = 0.17  # inches
VALUE_LABEL_GAP = FIX_RING_RADIUS + 0.04  # inches from a marker to its value: outside the ring

MARGIN = 0.3
LABEL_WIDTH = 1.8  # the column naming the lanes
COLUMN_WIDTH = 3.2  # a phase column, before the picture is clamped to MIN/MAX_WIDTH
GAP = 0.07  # between stickies, and between a sticky and its cell's edge
MIN_ROW_HEIGHT = 0.5
HEADER_HEIGHT, PHASE_ROW_HEIGHT, CURVE_ROW_HEIGHT, FOOTER_HEIGHT = 1.45, 0.55, 2.1, 0.5
BAND_TITLE_HEIGHT, BAND_TITLE_SIZE = 0.34, 10
BAND_COLOR = "#eef0f3"  # the whole journey's band: tinted, so it reads as one row across the phases
LEGEND_LINE_HEIGHT = 0.35
MAX_NOTE_CHARS = 400  # a longer note is shortened in the picture; the summary says where the rest is


@dataclass(frozen=True)
class JourneyMap:
    """The pictures for a summary: ``inline`` fits Slack's preview; ``full`` has every note
    when ``inline`` shows themes instead; ``shortened`` when some long note is cut short."""
    inline: bytes
    full: bytes | None
    shortened: bool

    @property
    def grouped(self) -> bool:
        return self.full is not None


def journey_map(view: SummaryView, *, font_path: str | None = None) -> JourneyMap:
    """The journey map for the channel, with the full map beside it when the notes do not fit."""
    every_note = _MapLayout.of(view, themes=False)
    if every_note.height <= INLINE_MAX_HEIGHT:
        return JourneyMap(_draw_map(view, every_note, font_path), None, every_note.shortened)
    themes = _MapLayout.of(view, themes=True).fitting(INLINE_MAX_HEIGHT)
    full = every_note.fitting(FULL_MAX_HEIGHT)
    return JourneyMap(_draw_map(view, themes, font_path), _draw_map(view, full, font_path),
                      full.shortened or themes.shortened)


def journey_map_png(view: SummaryView, *, font_path: str | None = None, every_note: bool = False) -> bytes:
    """One journey map: the one for Slack's preview, or with ``every_note`` the full one."""
    layout = _MapLayout.of(view, themes=False)
    if every_note:
        layout = layout.fitting(FULL_MAX_HEIGHT)
    elif layout.height > INLINE_MAX_HEIGHT:
        layout = _MapLayout.of(view, themes=True).fitting(INLINE_MAX_HEIGHT)
    return _draw_map(view, layout, font_path)


# -- laying out the journey map ------------------------------------------------------------------------------


@dataclass
class _Cell:
    stickies: list[Sticky] = field(default_factory=list)
    hidden: int = 0  # themes left out for room; the full map has them

    @property
    def height(self) -> float:
        more = line_height(NOTE_SIZE) + GAP if self.hidden else 0.0
        return sum(sticky.height + GAP for sticky in self.stickies) + GAP + more

    def first(self, limit: int) -> _Cell:
        return _Cell(self.stickies[:limit], self.hidden + max(0, len(self.stickies) - limit))


@dataclass
class _MapLayout:
    """Where everything goes; its ``height`` is known before anything is drawn."""
    view: SummaryView
    width: float
    column_width: float
    themes: bool
    cells: dict[tuple[str, int], _Cell]  # (lane, phase number); lane "insight" for a phase's insights
    band: list[Sticky]  # the whole journey's insights, in order
    limit: int | None = None  # stickies shown per cell, and per column of the band
    journey_insights: list[_Cell] = field(default_factory=list)  # the band's columns, as drawn

    @classmethod
    def of(cls, view: SummaryView, *, themes: bool) -> _MapLayout:
        """Every note (or with ``themes`` every theme), each laid out once."""
        width = min(MAX_WIDTH, max(MIN_WIDTH, 2 * MARGIN + LABEL_WIDTH + COLUMN_WIDTH * len(view.phases)))
        column_width = (width - 2 * MARGIN - LABEL_WIDTH) / max(1, len(view.phases))
        layout = cls(view, width, column_width, themes, {}, [])
        sticky_width = column_width - 2 * GAP
        by_phase = insights_by_phase(view, themes=themes)
        for phase in view.phases:
            for lane in view.lane_order:
                entries = phase.themes.get(lane, ()) if themes else phase.lanes.get(lane, ())
                layout.cells[lane, phase.number] = _Cell([layout._sticky(entry, sticky_width) for entry in entries])
            layout.cells["insight", phase.number] = _Cell(
                [layout._sticky(entry, sticky_width) for entry in by_phase.get(phase.number, ())])
        band_width = layout.body_width / layout.band_columns - 2 * GAP
        layout.band = [layout._sticky(entry, band_width) for entry in by_phase.get(None, ())]
        layout.journey_insights = layout._band_cells()
        return layout

    def fitting(self, max_height: float) -> _MapLayout:
        """As many stickies per cell as keep the picture within ``max_height`` (at least one)."""
        if self.height <= max_height:
            return self
        low, high = 1, max((len(cell.stickies) for cell in self.cells.values()), default=1)
        while low < high:  # the largest limit that fits
            middle = (low + high + 1) // 2
            if self.limited(middle).height <= max_height:
                low = middle
            else:
                high = middle - 1
        return self.limited(low)

    def limited(self, limit: int) -> _MapLayout:
        """The first ``limit`` stickies of each cell; the others counted as left out."""
        layout = dataclasses.replace(self, cells={key: cell.first(limit) for key, cell in self.cells.items()},
                                     limit=limit)
        layout.journey_insights = layout._band_cells()
        return layout

    @property
    def band_columns(self) -> int:
        """One column more than there are phases: the band's notes never line up under a phase,
        so nobody takes them for that phase's."""
        return len(self.view.phases) + 1

    def _band_cells(self) -> list[_Cell]:
        """The band's stickies in its columns, each to the shortest column so far."""
        if not self.band:
            return []
        columns = [_Cell() for _ in range(self.band_columns)]
        heights = [0.0] * len(columns)
        shown = self.band if self.limit is None else self.band[: self.limit * len(columns)]
        for sticky in shown:
            shortest = heights.index(min(heights))
            columns[shortest].stickies.append(sticky)
            heights[shortest] += sticky.height + GAP
        columns[-1].hidden = len(self.band) - len(shown)
        return columns

    def _sticky(self, entry: ItemView | Theme, width: float) -> Sticky:
        view = self.view
        if isinstance(entry, Theme) and entry.count > 1:
            text, cut = typeset.shorten(insight_text(entry.representative), MAX_NOTE_CHARS)
            people = ", ".join(entry.people) if entry.people else label(view, "summary.anonymous")
            research = any(note.is_research for note in entry.notes)
            return lay_out_sticky(width, text, f"×{entry.count} · {people}", research=research,
                                  feeling_color=_feeling_color(entry.feeling), label=_own_label(entry, text),
                                  count=entry.count, shortened=cut)
        note = entry.representative if isinstance(entry, Theme) else entry
        text = insight_text(note)
        text, cut = typeset.shorten(f"{text} ({note.why})" if note.why else text, MAX_NOTE_CHARS)
        byline = author_name(view, note) or label(view, "summary.draft")
        if note.is_research:
            byline += f" · {label(view, f'evidence.{note.evidence}')}"
        return lay_out_sticky(width, text, byline, research=note.is_research,
                              feeling_color=_feeling_color(note.feeling), state=note.state, shortened=cut)

    @property
    def shortened(self) -> bool:
        """Whether a note the picture shows is cut short."""
        return any(sticky.shortened for sticky in self.stickies())

    @property
    def body_width(self) -> float:
        return self.width - 2 * MARGIN - LABEL_WIDTH

    def lane_height(self, lane: str) -> float:
        return max([MIN_ROW_HEIGHT] + [self.cells[lane, phase.number].height for phase in self.view.phases])

    @property
    def lanes(self) -> tuple[str, ...]:
        """The rows under the curve: the phase's lanes, and insights when some name a phase."""
        named = any(self.cells["insight", phase.number].stickies for phase in self.view.phases)
        return (*self.view.lane_order, "insight") if named else tuple(self.view.lane_order)

    @property
    def band_height(self) -> float:
        if not self.journey_insights:
            return 0.0
        return BAND_TITLE_HEIGHT + max(cell.height for cell in self.journey_insights)

    @property
    def height(self) -> float:
        lanes = sum(self.lane_height(lane) for lane in self.lanes)
        footer = FOOTER_HEIGHT + (LEGEND_LINE_HEIGHT if self.view.research else 0)  # the research legend's line
        return (2 * MARGIN + HEADER_HEIGHT + PHASE_ROW_HEIGHT + CURVE_ROW_HEIGHT + lanes + self.band_height
                + footer)

    def stickies(self) -> list[Sticky]:
        return [sticky for cell in (*self.cells.values(), *self.journey_insights) for sticky in cell.stickies]


def _own_label(theme: Theme, text: str) -> str | None:
    """The theme's label, unless it only repeats the start of the note shown under it."""
    start = theme.label.rstrip(" …")
    return None if " ".join(text.split()).startswith(start) else theme.label


def _feeling_color(feeling: float | None) -> str | None:
    return None if feeling is None else FEELING_COLORS[feeling_bucket(feeling)]


def insights_by_phase(view: SummaryView, *, themes: bool) -> dict[int | None, list[ItemView | Theme]]:
    """Insights (or their themes) by the phase they sit in; the whole journey's under None."""
    result: dict[int | None, list[ItemView | Theme]] = {}
    if themes:
        for theme in view.insight_themes:
            result.setdefault(theme.phase, []).append(theme)
    else:
        for item in view.insights:
            result.setdefault(view.insight_phase(item), []).append(item)
    return result


# -- drawing the journey map ---------------------------------------------------------------------------------


def _draw_map(view: SummaryView, layout: _MapLayout, font_path: str | None) -> bytes:
    sheet = Sheet(layout.width, layout.height, font_path)
    grid = _Grid(sheet, view, layout)
    _draw_header(sheet, view)
    y = grid.phase_row(MARGIN + HEADER_HEIGHT)
    y, fix = grid.curve_row(y)
    for lane in layout.lanes:
        y = grid.lane_row(y, lane)
    if not view.phases:
        sheet.text(grid.body_x + layout.body_width / 2, (y + MARGIN + HEADER_HEIGHT) / 2,
                   label(view, "summary.nothing_yet"), 14, color=MUTED, ha="center", va="center")
    y = grid.journey_band(y)
    _draw_map_legend(sheet, view, layout.stickies(), fix, y + 0.15)
    return sheet.png()


class _Grid:
    """The journey's table: a label column on the left, one column per phase."""

    def __init__(self, sheet: Sheet, view: SummaryView, layout: _MapLayout):
        self.sheet, self.view, self.layout = sheet, view, layout
        self.body_x = MARGIN + LABEL_WIDTH
        self.body_width = layout.body_width
        self.column_width = layout.column_width

    def column_x(self, phase: PhaseView) -> float:
        return self.body_x + (phase.number - 1) * self.column_width

    def row_label(self, y: float, height: float, text: str, max_lines: int = 3) -> None:
        self.sheet.box(MARGIN, y, LABEL_WIDTH, height, SHADE, edge=LINE)
        lines = typeset.wrap(text, ems(LABEL_WIDTH - 0.14, 11, bold=True), max_lines)
        self.sheet.text(MARGIN + 0.07, y + 0.07, "\n".join(lines), 11, bold=True)

    def row_frame(self, y: float, height: float, dividers: bool = True) -> None:
        self.sheet.box(self.body_x, y, self.body_width, height, "white", edge=LINE, zorder=0)
        for phase in self.view.phases[1:] if dividers else ():
            x = self.column_x(phase)
            self.sheet.rule(x, y, x, y + height, LINE)

    def phase_row(self, y: float) -> float:
        self.row_frame(y, PHASE_ROW_HEIGHT)
        self.sheet.box(MARGIN, y, LABEL_WIDTH, PHASE_ROW_HEIGHT, SHADE, edge=LINE)
        for phase in self.view.phases:
            name = typeset.wrap(f"{phase.number}. {phase.name}", ems(self.column_width - 0.14, 12, bold=True), 2)
            self.sheet.text(self.column_x(phase) + 0.07, y + 0.04, "\n".join(name), 12, bold=True)
        return y + PHASE_ROW_HEIGHT

    def curve_row(self, y: float) -> tuple[float, bool]:
        """The headline: each phase's feelings as bubbles (area by count) joined by their spread,
        the team average as a curve over them, the lowest point ringed as the moment to fix."""
        self.row_frame(y, CURVE_ROW_HEIGHT)
        self.row_label(y, CURVE_ROW_HEIGHT, label(self.view, "summary.average_feeling"), max_lines=2)
        top_pad, bottom_pad = 0.35, 0.6  # room under the lowest level for the moment to fix
        half = (CURVE_ROW_HEIGHT - top_pad - bottom_pad) / 2

        def level(value: float) -> float:
            return y + top_pad + half - value * half

        for value in (POSITIVE, NEUTRAL, NEGATIVE):
            self.sheet.shape(shapes.polyline([(self.body_x, level(value)), (self.body_x + self.body_width, level(value))],
                                             0.6, dashes=shapes.DOTTED), LINE)
            self.sheet.text(self.body_x - 0.08, level(value), label(self.view, f"feeling.{FEELING_NAMES[value]}"),
                            8, color=MUTED, ha="right", va="center")
        most = max((count for phase in self.view.phases for count in phase.feeling_counts.values()), default=0)
        for phase in self.view.phases:
            self._spread(phase, level, most)
        self._curve(level)
        return y + CURVE_ROW_HEIGHT, self._moment_to_fix(level)

    def _spread(self, phase: PhaseView, level, most: int) -> None:
        x = self.column_x(phase) + self.column_width / 2 - 0.7  # clear of the moment to fix under the curve
        present = [value for value, count in phase.feeling_counts.items() if count]
        if len(present) > 1:
            self.sheet.shape(shapes.polyline([(x, level(max(present))), (x, level(min(present)))], 2.5, round_caps=True),
                             SPREAD_COLOR, zorder=1.5)
        for value, count in phase.feeling_counts.items():
            if count:
                radius = 0.05 + 0.16 * math.sqrt(count / most)
                self.sheet.shape([shapes.Stroke("disc", (x, level(value)), size=radius)], FEELING_COLORS[value],
                                 alpha=0.35, zorder=2)
                # on white: the curve on its way to this phase's average may run right through it
                self.sheet.text(x - radius - 0.05, level(value), str(count), 8, color=MUTED, ha="right",
                                va="center", backdrop=True)

    def _points(self, level) -> list[tuple[float, float, PhaseView]]:
        """Where the moment to fix may be ringed: on the curve of what the team found, once research is in."""
        if self.view.research is None:
            return [(self.column_x(phase) + self.column_width / 2, level(phase.average_feeling), phase)
                    for phase in self.view.phases if phase.average_feeling is not None]
        return [(self.column_x(phase) + self.column_width / 2 + RESEARCH_SHIFT, level(phase.researched_feeling), phase)
                for phase in self.view.phases if phase.researched_feeling is not None]

    def _curve(self, level) -> None:
        """The team's average feeling; once research is in, twice: as assumed (dashed) and from research."""
        phases = self.view.phases
        if self.view.research is None:
            self._one_curve(level, [phase.average_feeling for phase in phases], CURVE_COLOR, "disc")
            return
        # side by side in each column, so equal feelings still show both markers
        self._one_curve(level, [phase.assumed_feeling for phase in phases], ASSUMED_CURVE_COLOR, "square",
                        shapes.DASHED, shift=-RESEARCH_SHIFT, label_below=True)
        self._one_curve(level, [phase.researched_feeling for phase in phases], CURVE_COLOR, "disc",
                        shift=RESEARCH_SHIFT)

    def _one_curve(self, level, averages: Sequence[float | None], color: str, marker: str,
                   dashes: tuple[float, float] | None = None, shift: float = 0.0, label_below: bool = False) -> None:
        xs = [self.column_x(phase) + self.column_width / 2 + shift for phase in self.view.phases]
        ys = [None if average is None else level(average) for average in averages]
        for run in shapes.runs_without_gaps(zip(xs, ys)):  # a gap where a phase has no feelings yet
            self.sheet.shape(shapes.polyline(run, CURVE_WIDTH, dashes=dashes, round_caps=True), color, zorder=5)
            size = MARKER_SIZE / 72 / (2 if marker == "disc" else 1)  # a disc's radius, a square's side
            self.sheet.shape([shapes.Stroke(marker, point, size=size) for point in run], color, zorder=5)
        # right of the marker, outside the ring around the moment to fix (left of it are the bubbles)
        dy = VALUE_LABEL_GAP if label_below else -0.1
        for x, y, average in zip(xs, ys, averages):
            if average is not None:
                self.sheet.text(x + VALUE_LABEL_GAP, y + dy, signed(average, self.view.lang), 10, bold=True,
                                color=color, va="top" if label_below else "bottom", backdrop=True)

    def _moment_to_fix(self, level) -> bool:
        """Rings the lowest average when it is below neutral or lower than another phase's."""
        points = self._points(level)
        if not points:
            return False
        x, y, lowest = max(points, key=lambda point: (point[1], -point[0]))  # y grows downwards
        if lowest.average_feeling >= 0 and len({phase.average_feeling for _, _, phase in points}) < 2:
            return False
        self.sheet.shape([shapes.Stroke("ring", (x, y), size=FIX_RING_RADIUS, width=2.5)], FIX_COLOR, zorder=6)
        # below the assumed values' labels under the curve, so no label hides another
        below = VALUE_LABEL_GAP + 0.22 if self.view.research else VALUE_LABEL_GAP + 0.06
        self.sheet.text(x, y + below, label(self.view, "pictures.moment_to_fix"), 9, bold=True, color=FIX_COLOR,
                        ha="center", backdrop=True)
        return True

    def lane_row(self, y: float, lane: str) -> float:
        height = self.layout.lane_height(lane)
        self.row_frame(y, height)
        self.row_label(y, height, label(self.view, f"lane.{lane}"))
        for phase in self.view.phases:
            self._cell(self.layout.cells[lane, phase.number], self.column_x(phase) + GAP, y + GAP)
        return y + height

    def _cell(self, cell: _Cell, x: float, y: float) -> None:
        for sticky in cell.stickies:
            draw_sticky(self.sheet, sticky, x, y)
            y += sticky.height + GAP
        if cell.hidden:
            key = "pictures.more_in_full" if self.layout.themes else "pictures.more_in_summary"
            self.sheet.text(x, y, label(self.view, key, count=cell.hidden), NOTE_SIZE,
                            color=MUTED)

    def journey_band(self, y: float) -> float:
        """Insights that name no phase belong to the whole journey: one tinted band across every
        phase, titled with an arrow from the first phase to the last, its notes in columns that
        do not line up with the phases'."""
        columns = self.layout.journey_insights
        if not columns:
            return y
        height = self.layout.band_height
        self.row_frame(y, height, dividers=False)
        self.sheet.box(self.body_x, y, self.body_width, height, BAND_COLOR, edge=LINE, zorder=0.2)
        # Right under the phases' own insights, the band shares their row label.
        self.row_label(y, height, "" if "insight" in self.layout.lanes else label(self.view, "lane.insight"))
        self._band_title(y + BAND_TITLE_HEIGHT / 2)
        column_width = self.body_width / len(columns)
        for index, cell in enumerate(columns):
            self._cell(cell, self.body_x + index * column_width + GAP, y + BAND_TITLE_HEIGHT)
        return y + height

    def _band_title(self, middle: float) -> None:
        """◀──── Across the whole journey ────▶, from the band's left edge to its right."""
        title = label(self.view, "pictures.whole_journey")
        centre = self.body_x + self.body_width / 2
        half = typeset.text_ems(title) * BAND_TITLE_SIZE / 72 * BOLD_WIDER / 2 + 0.12
        left, right = self.body_x + GAP, self.body_x + self.body_width - GAP
        self.sheet.text(centre, middle, title, BAND_TITLE_SIZE, bold=True, ha="center", va="center")
        self.sheet.text(left, middle, "◀", BAND_TITLE_SIZE, color=MUTED, va="center")
        self.sheet.text(right, middle, "▶", BAND_TITLE_SIZE, color=MUTED, ha="right", va="center")
        for start, end in ((left + 0.1, centre - half), (centre + half, right - 0.1)):
            self.sheet.rule(start, middle, end, middle, MUTED, zorder=0.5)


def _draw_header(sheet: Sheet, view: SummaryView) -> None:
    width = sheet.width - 2 * MARGIN
    title = typeset.wrap(label(view, "summary.header", title=view.title), ems(width, 20, bold=True), 1)
    sheet.text(MARGIN, MARGIN, title[0], 20, bold=True)
    end_user = "; ".join(item.text for item in view.end_user) or label(view, "summary.nothing_yet")
    lines = typeset.wrap(f"{label(view, 'summary.end_user')}: {end_user}", ems(width, 12), 2)
    sheet.text(MARGIN, MARGIN + 0.45, "\n".join(lines), 12)
    sheet.text(MARGIN, MARGIN + 1.0, typeset.wrap(f"{view.progress} · {view.context}", ems(width, 9), 1)[0], 9,
               color=MUTED)


def _draw_map_legend(sheet: Sheet, view: SummaryView, stickies: Sequence[Sticky], fix: bool, y: float) -> None:
    """A legend for what the map shows, no more; the date on the right."""
    legend = _Legend(sheet, view, y)
    legend.notes(stickies)
    feelings = {sticky.feeling_color for sticky in stickies} - {None}
    for value in (POSITIVE, NEUTRAL, NEGATIVE):
        if FEELING_COLORS[value] in feelings:
            legend.swatch(FEELING_COLORS[value], label(view, f"feeling.{FEELING_NAMES[value]}"), narrow=True)
    if any(sticky.count > 1 for sticky in stickies):
        legend.swatch(NOTE_COLORS[False], label(view, "pictures.theme_legend"), edge=THEME_EDGE)
    if fix:
        legend.word(label(view, "pictures.moment_to_fix_legend"), FIX_COLOR)
    legend.date()
    if view.research is not None:
        legend.research(y + LEGEND_LINE_HEIGHT)


class _Legend:
    def __init__(self, sheet: Sheet, view: SummaryView, y: float):
        self.sheet, self.view, self.y, self.x = sheet, view, y, MARGIN

    def notes(self, stickies: Sequence[Sticky]) -> None:
        for research, key in ((False, "summary.assumption_marker"), (True, "summary.research_marker")):
            if any(sticky.research == research for sticky in stickies):
                self.swatch(NOTE_COLORS[research], label(self.view, key))

    def swatch(self, color: str, word: str, *, narrow: bool = False, edge: str = LINE) -> None:
        width = 0.06 if narrow else 0.2
        self.sheet.box(self.x, self.y + 0.04, width, 0.2, color, edge=None if narrow else edge)
        self.x += width + 0.08
        self.word(word)

    def word(self, word: str, color: str = MUTED) -> None:
        self.sheet.text(self.x, self.y + 0.14, word, 10, color=color, va="center")
        self.x += typeset.text_ems(word) * 10 / 72 + 0.35

    def research(self, y: float) -> None:
        """The two curves by their line style, and the marks of the assumptions' states."""
        self.x, self.y = MARGIN, y
        for color, dashes, key in ((ASSUMED_CURVE_COLOR, shapes.DASHED, "research.curve_assumed"),
                                   (CURVE_COLOR, None, "research.curve_researched")):
            self.sheet.shape(shapes.polyline([(self.x, y + 0.14), (self.x + 0.4, y + 0.14)], 2.5, dashes=dashes), color)
            self.x += 0.5
            self.word(label(self.view, key))
        self.word(label(self.view, "research.legend"))

    def date(self) -> None:
        generated = label(self.view, "summary.generated", date=self.view.generated_at.strftime("%Y-%m-%d"))
        self.sheet.text(self.sheet.width - MARGIN, self.y, generated, 9, color=MUTED, ha="right")


# -- the storyboard ------------------------------------------------------------------------------------------

PANEL_GAP, SCENE_HEIGHT, PICTOGRAM_SIZE = 0.2, 1.5, 54
CAPTION_SIZE, OTHER_SIZE = 11.0, 8.5
OTHERS_MAX_HEIGHT = 8.0  # inches of other answers under a panel; the summary lists any more
# A pictogram per scene, for panels whose team chose none (drawn in monochrome).
SCENE_PICTOGRAMS = {"story_customer": "🧑", "story_pain": "😣", "story_solution": "💡", "story_discovery": "🔍",
                    "story_outcome": "😊"}
SCENE_COLORS = ("#e3f2fd", "#fde7e9", "#fff4d6", "#ede7f6", "#e6f4ea")


@dataclass(frozen=True)
class _Panel:
    panel: PanelView
    title: tuple[str, ...]
    pictogram: str
    caption: tuple[str, ...]  # the team's pick, wrapped in full
    byline: str  # who wrote the pick, and whether it comes from research
    others: tuple[tuple[str, ...], ...]  # the other answers, wrapped, each with its author
    rtl: bool = False
    hidden: int = 0  # other answers left out for room; the summary has them


def storyboard_png(view: SummaryView, *, font_path: str | None = None) -> bytes:
    """The five storyboard steps as a comic strip: per panel a scene (a pictogram), its title and
    the team's pick as the caption; the other answers in small type under each panel."""
    width = MIN_WIDTH
    count = max(1, len(view.storyboard))
    panel_width = (width - 2 * MARGIN - PANEL_GAP * (count - 1)) / count
    panels = [_lay_out_panel(view, panel, panel_width - 0.24) for panel in view.storyboard]
    title_height = max((len(p.title) for p in panels), default=1) * line_height(12) + 0.15
    caption_height = max((len(p.caption) for p in panels), default=1) * line_height(CAPTION_SIZE) + 0.4
    strip_height = title_height + SCENE_HEIGHT + caption_height
    others_height = max((_others_height(p) for p in panels), default=0.0)
    others_block = others_height + line_height(OTHER_SIZE) + 0.3 if others_height else 0.0
    top = MARGIN + 0.6
    sheet = Sheet(width, top + strip_height + others_block + 0.15 + FOOTER_HEIGHT, font_path)
    heading = typeset.wrap(f"{label(view, 'summary.storyboard')}: {view.title}",
                           ems(width - 2 * MARGIN, 18, bold=True), 1)
    sheet.text(MARGIN, MARGIN, heading[0], 18, bold=True)
    for index, panel in enumerate(panels):
        x = MARGIN + index * (panel_width + PANEL_GAP)
        _draw_panel(sheet, panel, index, x, top, panel_width, title_height, strip_height)
        if panel.others:
            _draw_others(sheet, view, panel, x, top + strip_height + 0.15)
    if not panels:
        sheet.text(width / 2, top + strip_height / 2, label(view, "summary.nothing_yet"), 14, color=MUTED,
                   ha="center", va="center")
    # No legend: the panels have no colour codes, and a caption from research says so in its byline.
    _Legend(sheet, view, top + strip_height + others_block + 0.15).date()
    return sheet.png()


def _lay_out_panel(view: SummaryView, panel: PanelView, inner: float) -> _Panel:
    pick, others = panel.caption, panel.others
    pictogram, caption = story.pictogram_of(pick, SCENE_PICTOGRAMS.get(panel.step_id, "🎬"))
    byline = ""
    if pick is not None:
        byline = " · ".join(part for part in (
            author_name(view, pick), label(view, f"evidence.{pick.evidence}") if pick.is_research else "",
            label(view, "captions.picked") if panel.picked else "") if part)
    listed, height = [], 0.0
    for other in others:
        lines = tuple(typeset.wrap(f"{story.without_emoji(other.text)} — {author_name(view, other)}",
                                   ems(inner - 0.12, OTHER_SIZE)))
        height += len(lines) * line_height(OTHER_SIZE) + 0.06
        if height > OTHERS_MAX_HEIGHT:
            break
        listed.append(lines)
    return _Panel(
        panel=panel, pictogram=pictogram, byline=byline, rtl=right_to_left(caption),
        title=tuple(typeset.wrap(_scene_title(view, panel), ems(inner, 12, bold=True))),
        caption=tuple(typeset.wrap(caption or label(view, "pictures.no_answer"), ems(inner, CAPTION_SIZE))),
        others=tuple(listed), hidden=len(others) - len(listed))


def _scene_title(view: SummaryView, panel: PanelView) -> str:
    """The built-in scenes have a short title for the picture; a team's own storyboard step has its own."""
    return view.labels.get(f"pictures.scene_{panel.step_id}") or panel.scene[:1].upper() + panel.scene[1:]


def _others_height(panel: _Panel) -> float:
    lines = sum(len(lines) for lines in panel.others) + (1 if panel.hidden else 0)
    return lines * line_height(OTHER_SIZE) + 0.06 * len(panel.others)


def _draw_panel(sheet: Sheet, panel: _Panel, index: int, x: float, top: float, width: float,
                title_height: float, strip_height: float) -> None:
    """A comic panel: its title, the scene with its pictogram, the caption under it."""
    sheet.shape([shapes.Stroke("rounded", (x, top, x + width, top + strip_height), size=0.12, width=1.6)], INK)
    sheet.text(x + 0.12, top + 0.1, "\n".join(panel.title), 12, bold=True)
    scene_top, scene_height = top + title_height, SCENE_HEIGHT - 0.1
    sheet.box(x + 0.12, scene_top, width - 0.24, scene_height, SCENE_COLORS[index % len(SCENE_COLORS)],
              edge=LINE, zorder=1.5)
    sheet.text(x + width / 2, scene_top + scene_height / 2, panel.pictogram, PICTOGRAM_SIZE, ha="center",
               va="center")
    sheet.text(x + width - 0.12 if panel.rtl else x + 0.12, scene_top + SCENE_HEIGHT + 0.02,
               "\n".join(panel.caption), CAPTION_SIZE, color=INK if panel.byline or panel.panel.items else MUTED,
               ha="right" if panel.rtl else "left")
    if panel.byline:
        sheet.text(x + 0.12, top + strip_height - 0.08, panel.byline, 8, color=MUTED, va="bottom")


def _draw_others(sheet: Sheet, view: SummaryView, panel: _Panel, x: float, y: float) -> None:
    sheet.text(x, y, label(view, "pictures.other_answers"), OTHER_SIZE, bold=True, color=MUTED)
    y += line_height(OTHER_SIZE) + 0.06
    for lines in panel.others:
        sheet.text(x, y, "·", OTHER_SIZE, color=MUTED)
        sheet.text(x + 0.12, y, "\n".join(lines), OTHER_SIZE, color=MUTED)
        y += len(lines) * line_height(OTHER_SIZE) + 0.06
    if panel.hidden:
        sheet.text(x, y, label(view, "pictures.more_answers", count=panel.hidden), OTHER_SIZE, color=MUTED)
