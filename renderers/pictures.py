"""Pictures of a summary as PNG bytes: the journey map and the storyboard.

matplotlib is slow to import, so it is imported inside the functions, and it is
driven through its object API on an Agg canvas: no pyplot, no global state.
Everything is laid out in inches on one full-figure axes whose y axis points down,
and every cell has a fixed height, so no text can run into its neighbour.
"""
from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from flows.catalog import FEELING_NAMES, NEGATIVE, NEUTRAL, POSITIVE
from flows.research import STATE_MARKS
from flows.summary import ItemView, PhaseView, SummaryView
from renderers.words import author_name, label, more, signed

DPI = 100
MIN_WIDTH, MAX_WIDTH = 16.0, 24.0  # inches: 1600–2400 px, sharp in Slack's preview and full size
CURVE_COLOR = "#7b1fa2"  # used for nothing else, so the curve can be found in the picture
ASSUMED_CURVE_COLOR = "#e65100"  # the curve of the assumptions, dashed with square markers beside the solid one
FEELING_COLORS = {POSITIVE: "#2e7d32", NEUTRAL: "#8d8d8d", NEGATIVE: "#c62828"}
NOTE_COLORS = {False: "#fff4b3", True: "#cdeafe"}  # keyed by is_research: a yellow sticky, a blue one
INK, MUTED, LINE, SHADE = "#1f2328", "#59636e", "#c9ccd1", "#f3f4f6"

MARGIN = 0.3
LABEL_WIDTH = 1.8  # the column naming the lanes
COLUMN_WIDTH = 3.2  # a phase column, before the picture is clamped to MIN/MAX_WIDTH
NOTE_HEIGHT, NOTE_GAP, NOTE_PAD = 0.6, 0.07, 0.07
NOTE_SIZE, BYLINE_SIZE = 9.0, 7.5
MORE_HEIGHT = 0.28
NOTES_PER_CELL = 3
HEADER_HEIGHT, PHASE_ROW_HEIGHT, CURVE_ROW_HEIGHT, FOOTER_HEIGHT = 1.55, 0.55, 1.6, 0.45
LEGEND_LINE_HEIGHT = 0.35
INSIGHT_ROWS = 2
PANEL_NOTES, PANEL_GAP, PANEL_TITLE_HEIGHT = 5, 0.2, 0.8
EM_PER_CHAR = 0.6  # the average width of a character in DejaVu Sans, in ems, rounded up


def journey_map_png(view: SummaryView, *, font_path: str | None = None) -> bytes:
    """The journey map: phases as columns, lanes as rows, the feeling curve, insights below."""
    width = min(MAX_WIDTH, max(MIN_WIDTH, 2 * MARGIN + LABEL_WIDTH + COLUMN_WIDTH * len(view.phases)))
    lane_height = _cell_height(NOTES_PER_CELL) + 2 * NOTE_GAP
    insight_height = _cell_height(INSIGHT_ROWS) + 2 * NOTE_GAP
    body = PHASE_ROW_HEIGHT + CURVE_ROW_HEIGHT + lane_height * len(view.lane_order) + insight_height
    footer = FOOTER_HEIGHT + (LEGEND_LINE_HEIGHT if view.research else 0)  # the research legend's own line
    sheet = _Sheet(width, 2 * MARGIN + HEADER_HEIGHT + body + footer, font_path)
    grid = _Grid(sheet, view, top=MARGIN + HEADER_HEIGHT)

    _draw_header(sheet, view)
    y = grid.phase_row(grid.top)
    y = grid.curve_row(y)
    for lane in view.lane_order:
        y = grid.lane_row(y, lane, lane_height)
    if not view.phases:
        sheet.text(grid.body_x + grid.body_width / 2, grid.top + body / 2,
                   label(view, "summary.nothing_yet"), 14, color=MUTED, ha="center", va="center")
    y = grid.insight_band(y, insight_height)
    _draw_footer(sheet, view, y + 0.1)
    return sheet.png()


def storyboard_png(view: SummaryView, *, font_path: str | None = None) -> bytes:
    """The five storyboard steps as captioned panels, each with the team's answers."""
    width = MIN_WIDTH
    panel_height = PANEL_TITLE_HEIGHT + _cell_height(PANEL_NOTES) + NOTE_GAP
    sheet = _Sheet(width, 2 * MARGIN + 0.7 + panel_height + FOOTER_HEIGHT, font_path)
    sheet.text(MARGIN, MARGIN, _one_line(label(view, "summary.storyboard") + f": {view.title}", 18,
                                         width - 2 * MARGIN), 18, bold=True)
    top = MARGIN + 0.7
    count = max(1, len(view.storyboard))
    panel_width = (width - 2 * MARGIN - PANEL_GAP * (count - 1)) / count
    for index, panel in enumerate(view.storyboard):
        x = MARGIN + index * (panel_width + PANEL_GAP)
        sheet.box(x, top, panel_width, panel_height, "white", edge=LINE)
        title = _wrap(panel.title, _chars(panel_width - 2 * NOTE_PAD, 11), 2)
        sheet.text(x + NOTE_PAD, top + NOTE_PAD, "\n".join(title), 11, bold=True)
        _notes_column(sheet, view, panel.items, x + NOTE_PAD, top + PANEL_TITLE_HEIGHT,
                      panel_width - 2 * NOTE_PAD, PANEL_NOTES)
    if not view.storyboard:
        sheet.text(width / 2, top + panel_height / 2, label(view, "summary.nothing_yet"), 14, color=MUTED,
                   ha="center", va="center")
    _draw_footer(sheet, view, top + panel_height + 0.1)
    return sheet.png()


class _Sheet:
    """A figure drawn in inches from the top left, every text in the workshop's font."""

    def __init__(self, width: float, height: float, font_path: str | None):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        if font_path is not None and not Path(font_path).is_file():
            raise FileNotFoundError(f"no font file at {font_path}")
        self.width, self.height = width, height
        self.figure = Figure(figsize=(width, height), dpi=DPI, facecolor="white")
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.add_axes((0, 0, 1, 1))
        self.axes.set_xlim(0, width)
        self.axes.set_ylim(height, 0)
        self.axes.set_axis_off()
        self._font_path = font_path
        self._fonts: dict[tuple[float, bool], object] = {}

    def font(self, size: float, bold: bool = False):
        from matplotlib.font_manager import FontProperties

        key = (size, bold)
        if key not in self._fonts:
            weight = "bold" if bold else "normal"
            self._fonts[key] = (FontProperties(fname=self._font_path, size=size, weight=weight)
                                if self._font_path else FontProperties(family="DejaVu Sans", size=size,
                                                                       weight=weight))
        return self._fonts[key]

    def text(self, x: float, y: float, text: str, size: float, *, bold: bool = False, color: str = INK,
             ha: str = "left", va: str = "top", clip=None, zorder: float = 3, backdrop: bool = False) -> None:
        """``backdrop`` puts a white box behind the text, to keep it legible over lines."""
        bbox = {"facecolor": "white", "edgecolor": "none", "pad": 1.5, "alpha": 0.85} if backdrop else None
        artist = self.axes.text(x, y, text, fontproperties=self.font(size, bold), color=color, ha=ha, va=va,
                                linespacing=1.25, zorder=zorder, bbox=bbox)
        if clip is not None:
            artist.set_clip_path(clip)

    def box(self, x: float, y: float, width: float, height: float, color: str, *, edge: str | None = None,
            zorder: float = 1):
        from matplotlib.patches import Rectangle

        return self.add(Rectangle((x, y), width, height, facecolor=color, edgecolor=edge or "none",
                                  linewidth=0.8, zorder=zorder))

    def add(self, patch):
        # add_artist, unlike add_patch, skips updating the data limits, which are fixed here and costly.
        return self.axes.add_artist(patch)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        # zlib's fastest level: a tenth less time for the journey map, files about 8% bigger
        self.figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", pil_kwargs={"compress_level": 1})
        return buffer.getvalue()


class _Grid:
    """The journey's table: a label column on the left, one column per phase."""

    def __init__(self, sheet: _Sheet, view: SummaryView, *, top: float):
        self.sheet, self.view, self.top = sheet, view, top
        self.body_x = MARGIN + LABEL_WIDTH
        self.body_width = sheet.width - MARGIN - self.body_x
        self.column_width = self.body_width / max(1, len(view.phases))

    def column_x(self, phase: PhaseView) -> float:
        return self.body_x + (phase.number - 1) * self.column_width

    def row_label(self, y: float, height: float, text: str, max_lines: int = 3) -> None:
        self.sheet.box(MARGIN, y, LABEL_WIDTH, height, SHADE, edge=LINE)
        lines = _wrap(text, _chars(LABEL_WIDTH - 2 * NOTE_PAD, 11), max_lines)
        self.sheet.text(MARGIN + NOTE_PAD, y + NOTE_PAD, "\n".join(lines), 11, bold=True)

    def row_frame(self, y: float, height: float) -> None:
        self.sheet.box(self.body_x, y, self.body_width, height, "white", edge=LINE, zorder=0)
        for phase in self.view.phases[1:]:
            x = self.column_x(phase)
            self.sheet.axes.plot((x, x), (y, y + height), color=LINE, linewidth=0.8, zorder=0.5)

    def phase_row(self, y: float) -> float:
        self.row_frame(y, PHASE_ROW_HEIGHT)
        self.sheet.box(MARGIN, y, LABEL_WIDTH, PHASE_ROW_HEIGHT, SHADE, edge=LINE)
        for phase in self.view.phases:
            name = _wrap(f"{phase.number}. {phase.name}", _chars(self.column_width - 2 * NOTE_PAD, 12), 2)
            self.sheet.text(self.column_x(phase) + NOTE_PAD, y + NOTE_PAD / 2, "\n".join(name), 12, bold=True)
        return y + PHASE_ROW_HEIGHT

    def curve_row(self, y: float) -> float:
        """Each phase's feelings as bubbles (area by count) and the team average as a curve over them."""
        self.row_frame(y, CURVE_ROW_HEIGHT)
        # One line, so the feeling names below it keep clear of it.
        self.row_label(y, CURVE_ROW_HEIGHT, label(self.view, "summary.average_feeling"), max_lines=1)
        pad = 0.35

        def level(value: float) -> float:
            return y + CURVE_ROW_HEIGHT / 2 - value * (CURVE_ROW_HEIGHT / 2 - pad)

        for value in (POSITIVE, NEUTRAL, NEGATIVE):
            self.sheet.axes.plot((self.body_x, self.body_x + self.body_width), (level(value),) * 2,
                                 color=LINE, linewidth=0.6, linestyle=":", zorder=0.5)
            self.sheet.text(self.body_x - 0.08, level(value), label(self.view, f"feeling.{FEELING_NAMES[value]}"),
                            8, color=MUTED, ha="right", va="center")
        most = max((count for phase in self.view.phases for count in phase.feeling_counts.values()), default=0)
        for phase in self.view.phases:
            self._feeling_bubbles(phase, level, most)
        self._curve(level)
        return y + CURVE_ROW_HEIGHT

    def _feeling_bubbles(self, phase: PhaseView, level, most: int) -> None:
        from matplotlib.patches import Circle

        x = self.column_x(phase) + self.column_width / 2 - 0.35
        for value, count in phase.feeling_counts.items():
            if count:
                radius = 0.05 + 0.16 * math.sqrt(count / most)
                self.sheet.add(Circle((x, level(value)), radius, facecolor=FEELING_COLORS[value], alpha=0.35,
                                      edgecolor="none", zorder=2))
                self.sheet.text(x - radius - 0.05, level(value), str(count), 8, color=MUTED, ha="right",
                                va="center")

    def _curve(self, level) -> None:
        """The team's average feeling; once research is in, twice: as assumed (dashed) and from research."""
        if self.view.research is None:
            self._one_curve(level, [phase.average_feeling for phase in self.view.phases], CURVE_COLOR, "o", "-")
            return
        # side by side in each column, so equal feelings still show both markers
        self._one_curve(level, [phase.assumed_feeling for phase in self.view.phases], ASSUMED_CURVE_COLOR, "s",
                        "--", shift=-0.2, label_below=True)
        self._one_curve(level, [phase.researched_feeling for phase in self.view.phases], CURVE_COLOR, "o", "-",
                        shift=0.2)

    def _one_curve(self, level, averages: Sequence[float | None], color: str, marker: str, style: str,
                   shift: float = 0.0, label_below: bool = False) -> None:
        xs = [self.column_x(phase) + self.column_width / 2 + shift for phase in self.view.phases]
        # NaN leaves a gap where a phase has no feelings yet.
        ys = [math.nan if average is None else level(average) for average in averages]
        self.sheet.axes.plot(xs, ys, color=color, linewidth=3.5, linestyle=style, marker=marker, markersize=9,
                             zorder=5, solid_capstyle="round")
        for x, y, average in zip(xs, ys, averages):
            if average is not None:
                self.sheet.text(x + 0.1, y + (0.08 if label_below else -0.08), signed(average), 10, bold=True,
                                color=color, va="top" if label_below else "bottom", zorder=6, backdrop=True)

    def lane_row(self, y: float, lane: str, height: float) -> float:
        self.row_frame(y, height)
        self.row_label(y, height, label(self.view, f"lane.{lane}"))
        for phase in self.view.phases:
            _notes_column(self.sheet, self.view, phase.lanes.get(lane, ()), self.column_x(phase) + NOTE_GAP,
                          y + NOTE_GAP, self.column_width - 2 * NOTE_GAP, NOTES_PER_CELL)
        return y + height

    def insight_band(self, y: float, height: float) -> float:
        """Insights belong to the whole journey, so they fill a band across all phases."""
        self.row_frame(y, height)
        self.row_label(y, height, label(self.view, "lane.insight"))
        columns = max(1, int(self.body_width // COLUMN_WIDTH))
        note_width = self.body_width / columns - 2 * NOTE_GAP
        insights = self.view.insights
        for index, item in enumerate(insights[: columns * INSIGHT_ROWS]):
            row, column = divmod(index, columns)
            _note(self.sheet, self.view, item, self.body_x + NOTE_GAP + column * (note_width + 2 * NOTE_GAP),
                  y + NOTE_GAP + row * (NOTE_HEIGHT + NOTE_GAP), note_width)
        _more_line(self.sheet, self.view, len(insights) - columns * INSIGHT_ROWS, self.body_x + NOTE_GAP,
                   y + NOTE_GAP + INSIGHT_ROWS * (NOTE_HEIGHT + NOTE_GAP))
        return y + height


def _draw_header(sheet: _Sheet, view: SummaryView) -> None:
    text_width = sheet.width - 2 * MARGIN
    sheet.text(MARGIN, MARGIN, _one_line(label(view, "summary.header", title=view.title), 20, text_width),
               20, bold=True)
    end_user = "; ".join(item.text for item in view.end_user) or label(view, "summary.nothing_yet")
    lines = _wrap(f"{label(view, 'summary.end_user')}: {end_user}", _chars(text_width, 12), 2)
    sheet.text(MARGIN, MARGIN + 0.5, "\n".join(lines), 12)
    sheet.text(MARGIN, MARGIN + 1.0, _one_line(f"{view.progress} · {view.context}", 9, text_width), 9,
               color=MUTED)


def _draw_footer(sheet: _Sheet, view: SummaryView, y: float) -> None:
    """The legend on the left, the date on the right."""
    x = MARGIN
    for is_research, key in ((False, "summary.assumption_marker"), (True, "summary.research_marker")):
        sheet.box(x, y + 0.04, 0.2, 0.2, NOTE_COLORS[is_research], edge=LINE)
        x = _legend_word(sheet, x + 0.28, y, label(view, key))
    for value in (POSITIVE, NEUTRAL, NEGATIVE):
        sheet.box(x, y + 0.04, 0.06, 0.2, FEELING_COLORS[value])
        x = _legend_word(sheet, x + 0.14, y, label(view, f"feeling.{FEELING_NAMES[value]}"))
    if view.research is not None:
        _research_legend(sheet, view, MARGIN, y + LEGEND_LINE_HEIGHT)
    generated = label(view, "summary.generated", date=view.generated_at.strftime("%Y-%m-%d"))
    sheet.text(sheet.width - MARGIN, y, generated, 9, color=MUTED, ha="right")


def _research_legend(sheet: _Sheet, view: SummaryView, x: float, y: float) -> None:
    """The two curves by their line style, and the states' marks."""
    for color, style, key in ((ASSUMED_CURVE_COLOR, "--", "research.curve_assumed"),
                              (CURVE_COLOR, "-", "research.curve_researched")):
        sheet.axes.plot((x, x + 0.4), (y + 0.14,) * 2, color=color, linestyle=style, linewidth=2.5, zorder=3)
        x = _legend_word(sheet, x + 0.5, y, label(view, key))
    _legend_word(sheet, x, y, label(view, "research.legend"))


def _legend_word(sheet: _Sheet, x: float, y: float, word: str) -> float:
    sheet.text(x, y + 0.14, word, 10, color=MUTED, va="center")
    return x + _text_width(word, 10) + 0.35


def _notes_column(sheet: _Sheet, view: SummaryView, items: Sequence[ItemView], x: float, y: float,
                  width: float, limit: int) -> None:
    for index, item in enumerate(items[:limit]):
        _note(sheet, view, item, x, y + index * (NOTE_HEIGHT + NOTE_GAP), width)
    _more_line(sheet, view, len(items) - limit, x, y + limit * (NOTE_HEIGHT + NOTE_GAP))


def _more_line(sheet: _Sheet, view: SummaryView, hidden: int, x: float, y: float) -> None:
    if hidden > 0:
        sheet.text(x, y, more(view, hidden), 9, color=MUTED)


def _note(sheet: _Sheet, view: SummaryView, item: ItemView, x: float, y: float, width: float) -> None:
    """One sticky note: blue for research, yellow for an assumption; a feeling's colour on its left edge."""
    patch = sheet.box(x, y, width, NOTE_HEIGHT, NOTE_COLORS[item.is_research], edge=LINE, zorder=2)
    if item.feeling is not None:
        sheet.box(x, y, 0.07, NOTE_HEIGHT, FEELING_COLORS[item.feeling], zorder=2.5)
    text = f"{item.text} ({item.why})" if item.why else item.text
    inner = width - 2 * NOTE_PAD
    sheet.text(x + NOTE_PAD + 0.03, y + NOTE_PAD, "\n".join(_wrap(text, _chars(inner, NOTE_SIZE), 2)), NOTE_SIZE,
               clip=patch)
    if item.state:
        _state_marker(sheet, item.state, x + width, y)
    byline = author_name(view, item) or label(view, "summary.draft")
    if item.is_research:
        byline += f" · {label(view, 'summary.research_marker')}"
    sheet.text(x + NOTE_PAD + 0.03, y + NOTE_HEIGHT - NOTE_PAD / 2, _wrap(byline, _chars(inner, BYLINE_SIZE), 1)[0],
               BYLINE_SIZE, color=MUTED, va="bottom", clip=patch)


def _state_marker(sheet: _Sheet, state: str, right: float, top: float) -> None:
    """An assumption's state as a black mark in a white badge on the note's top right corner: it reads
    without colour, so a black-and-white print keeps it."""
    from matplotlib.patches import Circle

    x, y = right - 0.16, top + 0.16
    sheet.add(Circle((x, y), 0.13, facecolor="white", edgecolor=INK, linewidth=1.2, zorder=3.5))
    sheet.text(x, y + 0.01, STATE_MARKS[state], 11, bold=True, ha="center", va="center", zorder=4)


def _cell_height(notes: int) -> float:
    return notes * (NOTE_HEIGHT + NOTE_GAP) + MORE_HEIGHT


def _chars(width: float, size: float) -> int:
    """How many average characters of a font size fit a width in inches."""
    return max(4, int(width * 72 / (size * EM_PER_CHAR)))


def _text_width(text: str, size: float) -> float:
    return _display_width(text) * size * EM_PER_CHAR / 72


def _one_line(text: str, size: float, width: float) -> str:
    return _wrap(text, _chars(width, size), 1)[0]


def _char_width(char: str) -> int:
    """Columns a character takes: two for wide (CJK) characters."""
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _display_width(text: str) -> int:
    return sum(map(_char_width, text))


def _fitting(text: str, columns: int) -> int:
    """How many leading characters of ``text`` fit in ``columns`` (at least one, so wrapping moves on)."""
    used = 0
    for index, char in enumerate(text):
        used += _char_width(char)
        if used > columns:
            return max(index, 1)
    return len(text)


def _wrap(text: str, columns: int, max_lines: int) -> list[str]:
    """``text`` broken at spaces (or anywhere, for CJK and long words) into lines; "…" marks a cut."""
    rest = " ".join(text.split())
    lines: list[str] = []
    while rest and len(lines) < max_lines:
        cut = _fitting(rest, columns)
        if cut < len(rest):
            space = rest.rfind(" ", 0, cut + 1)
            cut = space if space > 0 else cut
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        last = lines[-1]
        lines[-1] = last[: _fitting(last, columns - 1)].rstrip() + "…"
    return lines or [""]
