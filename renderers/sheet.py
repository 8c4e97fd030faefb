"""The drawing surface the pictures share: a picture laid out in inches from the top left, and
the sticky notes drawn on it, each as tall as its text.

Pillow and numpy are slow to import, so they are imported when a picture is made.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from renderers import shapes, typeset

DPI = 100
INK, MUTED, LINE, SHADE = "#1f2328", "#59636e", "#c9ccd1", "#f3f4f6"
NOTE_COLORS = {False: "#fff4b3", True: "#cdeafe"}  # keyed by is_research: a yellow sticky, a blue one
THEME_EDGE = "#b08800"  # a theme's sticky has a darker edge and a stack behind it
LINE_SPACING = 1.25
NOTE_SIZE, BYLINE_SIZE = 9.0, 7.5
NOTE_PAD, FEELING_EDGE = 0.07, 0.07
STATE_BADGE = 0.3  # room on a note's right for its research state's badge
BOLD_WIDER = 1.1  # bold text is about a tenth wider than the regular measures


def line_height(size: float) -> float:
    """The height of one line of text at ``size`` points, in inches, with the line spacing."""
    return size / 72 * LINE_SPACING * 1.02


def ems(width: float, size: float, bold: bool = False) -> float:
    """How many ems of text at ``size`` fit ``width`` inches."""
    return width * 72 / size / (BOLD_WIDER if bold else 1)


def right_to_left(text: str) -> bool:
    """Whether the text's first strong character is Arabic or Hebrew: it then reads from the right."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("L", "R", "AL"):
            return direction != "L"
    return False


class Sheet:
    """A picture laid out in inches from the top left.

    Everything is painted with Pillow: rectangles and straight rules first, then curves and
    circles (antialiased, renderers.shapes), then texts from cached glyphs (renderers.glyphs).
    A full map of 1,000 notes is mostly rectangles and text, and this keeps it well under a second.
    """

    def __init__(self, width: float, height: float, font_path: str | None):
        if font_path is not None and not Path(font_path).is_file():
            raise FileNotFoundError(f"no font file at {font_path}")
        self.width, self.height = width, height
        self.chain = typeset.fonts(font_path)
        self._boxes: list[_Box] = []
        self._shapes: list[shapes.Shape] = []
        self._texts: list[_Text] = []

    def text(self, x: float, y: float, text: str, size: float, *, bold: bool = False, color: str = INK,
             ha: str = "left", va: str = "top", backdrop: bool = False) -> None:
        """Puts ``text`` (lines in reading order) at (x, y); right-aligned text that starts in Arabic
        or Hebrew reads from the right; ``backdrop`` puts a white box behind it, to keep it legible
        over lines. Texts are painted over everything else."""
        rtl = ha == "right" and right_to_left(text)
        lines = [typeset.visual(line, rtl) for line in typeset.drawable(text, self.chain).split("\n")]
        self._texts.append(_Text(x, y, tuple(lines), size, bold, color, ha, va, backdrop))

    def box(self, x: float, y: float, width: float, height: float, color: str | None, *, edge: str | None = None,
            zorder: float = 1, linewidth: float = 0.8) -> None:
        """A rectangle filled with ``color`` (None: only its edge); higher ``zorder`` over lower."""
        self._boxes.append(_Box(zorder, len(self._boxes), x, y, width, height, color, edge, linewidth))

    def rule(self, x0: float, y0: float, x1: float, y1: float, color: str, zorder: float = 0.5) -> None:
        """A thin straight line, horizontal or vertical."""
        self._boxes.append(_Box(zorder, len(self._boxes), x0, y0, x1 - x0, y1 - y0, None, color, 0.8, rule=True))

    def shape(self, strokes: list[shapes.Stroke], color: str, *, alpha: float = 1.0, zorder: float = 1) -> None:
        """Curves and circles (renderers.shapes) in one colour, over every box; higher ``zorder`` over lower."""
        if strokes:
            self._shapes.append(shapes.Shape(zorder, len(self._shapes), color, alpha, tuple(strokes)))

    def png(self) -> bytes:
        from PIL import Image, ImageDraw

        from renderers import glyphs, png  # numpy and Pillow: imported when a picture is made, not at start-up

        image = Image.new("RGB", (round(self.width * DPI), round(self.height * DPI)), "white")
        draw = ImageDraw.Draw(image)
        for box in sorted(self._boxes):
            box.paint(draw)
        for shape in sorted(self._shapes):
            shape.paint(image, DPI)
        painter = glyphs.Painter(image, self.chain)
        for text in self._texts:
            text.paint(painter)
        return png.encode(image)


@dataclass(frozen=True, order=True)
class _Box:
    zorder: float
    order: int  # among equal zorders, the one added first is painted first
    x: float
    y: float
    width: float
    height: float
    color: str | None
    edge: str | None
    linewidth: float
    rule: bool = False

    def paint(self, draw) -> None:
        corners = [round(self.x * DPI), round(self.y * DPI), round((self.x + self.width) * DPI),
                   round((self.y + self.height) * DPI)]
        width = max(1, round(self.linewidth * DPI / 72))
        if self.rule:
            draw.line(corners, fill=self.edge, width=width)
        else:
            draw.rectangle(corners, fill=self.color, outline=self.edge, width=width if self.edge else 0)


@dataclass(frozen=True)
class _Text:
    x: float
    y: float
    lines: tuple[str, ...]
    size: float
    bold: bool
    color: str
    ha: str
    va: str
    backdrop: bool

    def paint(self, painter) -> None:  # a renderers.glyphs.Painter
        pixels = self.size * DPI / 72
        pitch = line_height(self.size) * DPI
        measured = self.backdrop or self.ha != "left"  # most text is neither, and need not be measured
        widths = [painter.width(line, pixels, self.bold) if measured else 0.0 for line in self.lines]
        top = self.y * DPI - {"top": 0, "center": 0.5, "bottom": 1}[self.va] * pitch * len(self.lines)
        lefts = [self.x * DPI - {"left": 0, "center": 0.5, "right": 1}[self.ha] * width for width in widths]
        if self.backdrop:
            from PIL import ImageDraw

            ImageDraw.Draw(painter.image).rectangle(
                (min(lefts) - 2, top - 1, min(lefts) + max(widths) + 2, top + pitch * len(self.lines)), fill="white")
        color = tuple(int(self.color[i:i + 2], 16) for i in (1, 3, 5))
        baseline = top + (pitch - pixels * 1.2) / 2 + painter.ascent(pixels)
        for line, left in zip(self.lines, lefts):
            painter.line(left, baseline, line, pixels, color, self.bold)
            baseline += pitch


@dataclass(frozen=True)
class Sticky:
    """A sticky note laid out for a width: a note, or a theme (its label over its representative note)."""
    width: float
    text_lines: tuple[str, ...]
    byline_lines: tuple[str, ...]
    research: bool
    feeling_color: str | None = None
    label_lines: tuple[str, ...] = ()
    count: int = 1  # notes in the theme; 1 for a plain note
    rtl: bool = False
    state: str | None = None  # an assumption's state in a research round, as a mark in a badge
    shortened: bool = False  # its text was cut short for the picture

    @property
    def height(self) -> float:
        return (2 * NOTE_PAD + len(self.label_lines) * line_height(NOTE_SIZE)
                + len(self.text_lines) * line_height(NOTE_SIZE) + len(self.byline_lines) * line_height(BYLINE_SIZE))


def lay_out_sticky(width: float, text: str, byline: str, *, research: bool, feeling_color: str | None = None,
                   label: str | None = None, count: int = 1, state: str | None = None,
                   shortened: bool = False) -> Sticky:
    inner = width - 2 * NOTE_PAD - FEELING_EDGE - (STATE_BADGE if state else 0)
    return Sticky(
        width=width, research=research, feeling_color=feeling_color, count=count, rtl=right_to_left(text), state=state,
        shortened=shortened,
        label_lines=tuple(typeset.wrap(label, ems(inner, NOTE_SIZE, bold=True))) if label else (),
        text_lines=tuple(typeset.wrap(text, ems(inner, NOTE_SIZE))),
        byline_lines=tuple(typeset.wrap(byline, ems(inner, BYLINE_SIZE), max_lines=2)),
    )


def draw_sticky(sheet: Sheet, sticky: Sticky, x: float, y: float) -> None:
    """Blue for research, yellow for an assumption; a feeling's colour on the left edge; a theme
    has its label in bold and a second sheet peeking out behind it."""
    height = sticky.height
    if sticky.count > 1:
        sheet.box(x + 0.04, y + 0.04, sticky.width, height, NOTE_COLORS[sticky.research], edge=THEME_EDGE,
                  zorder=1.9)
    sheet.box(x, y, sticky.width, height, NOTE_COLORS[sticky.research],
                      edge=THEME_EDGE if sticky.count > 1 else LINE, zorder=2)
    if sticky.feeling_color is not None:
        sheet.box(x, y, FEELING_EDGE, height, sticky.feeling_color, zorder=2.5)
    left = x + FEELING_EDGE + NOTE_PAD
    right = x + sticky.width - NOTE_PAD - (STATE_BADGE if sticky.state else 0)
    if sticky.state:
        _state_badge(sheet, sticky.state, x + sticky.width - 0.16, y + 0.16)
    top = y + NOTE_PAD
    if sticky.label_lines:
        sheet.text(left, top, "\n".join(sticky.label_lines), NOTE_SIZE, bold=True)
        top += len(sticky.label_lines) * line_height(NOTE_SIZE)
    sheet.text(right if sticky.rtl else left, top, "\n".join(sticky.text_lines), NOTE_SIZE,
               ha="right" if sticky.rtl else "left")
    top += len(sticky.text_lines) * line_height(NOTE_SIZE)
    sheet.text(left, top, "\n".join(sticky.byline_lines), BYLINE_SIZE, color=MUTED)


def _state_badge(sheet: Sheet, state: str, x: float, y: float) -> None:
    """An assumption's state as a black mark in a white badge: it reads without colour, so a
    black-and-white print keeps it."""
    from flows.research import STATE_MARKS

    sheet.shape([shapes.Stroke("disc", (x, y), size=0.13)], "white", zorder=3.5)
    sheet.shape([shapes.Stroke("ring", (x, y), size=0.13, width=1.2)], INK, zorder=3.5)
    sheet.text(x, y + 0.01, STATE_MARKS[state], 11, bold=True, ha="center", va="center")
