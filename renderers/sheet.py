"""The drawing surface the pictures share: a matplotlib figure laid out in inches from the top left,
and the sticky notes drawn on it, each as tall as its text.

matplotlib is slow to import, so it is imported inside the functions, and it is driven through
its object API on an Agg canvas: no pyplot, no global state.
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from renderers import typeset

DPI = 100
INK, MUTED, LINE, SHADE = "#1f2328", "#59636e", "#c9ccd1", "#f3f4f6"
NOTE_COLORS = {False: "#fff4b3", True: "#cdeafe"}  # keyed by is_research: a yellow sticky, a blue one
THEME_EDGE = "#b08800"  # a theme's sticky has a darker edge and a stack behind it
LINE_SPACING = 1.25
NOTE_SIZE, BYLINE_SIZE = 9.0, 7.5
NOTE_PAD, FEELING_EDGE = 0.07, 0.07
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
    """A figure drawn in inches from the top left, every text through the picture font chain."""

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
        self.chain = typeset.fonts(font_path)
        self._fonts: dict[tuple[float, bool], object] = {}

    def font(self, size: float, bold: bool = False):
        from matplotlib.font_manager import FontProperties

        key = (size, bold)
        if key not in self._fonts:
            self._fonts[key] = FontProperties(family=list(self.chain.families), size=size,
                                              weight="bold" if bold else "normal")
        return self._fonts[key]

    def text(self, x: float, y: float, text: str, size: float, *, bold: bool = False, color: str = INK,
             ha: str = "left", va: str = "top", clip=None, zorder: float = 3, backdrop: bool = False) -> None:
        """Draws ``text`` (lines in reading order); right-aligned text that starts in Arabic or Hebrew
        reads from the right; ``backdrop`` puts a white box behind it, to keep it legible over lines."""
        rtl = ha == "right" and right_to_left(text)
        shown = "\n".join(typeset.visual(line, rtl) for line in typeset.drawable(text, self.chain).split("\n"))
        bbox = {"facecolor": "white", "edgecolor": "none", "pad": 1.5, "alpha": 0.85} if backdrop else None
        artist = self.axes.text(x, y, shown, fontproperties=self.font(size, bold), color=color, ha=ha, va=va,
                                linespacing=LINE_SPACING, zorder=zorder, bbox=bbox,
                                multialignment=ha if ha != "center" else "center")
        if clip is not None:
            artist.set_clip_path(clip)

    def box(self, x: float, y: float, width: float, height: float, color: str, *, edge: str | None = None,
            zorder: float = 1, linewidth: float = 0.8):
        from matplotlib.patches import Rectangle

        return self.add(Rectangle((x, y), width, height, facecolor=color, edgecolor=edge or "none",
                                  linewidth=linewidth, zorder=zorder))

    def line(self, xs, ys, color: str, linewidth: float = 0.8, zorder: float = 0.5, **style) -> None:
        self.axes.plot(xs, ys, color=color, linewidth=linewidth, zorder=zorder, **style)

    def add(self, patch):
        # add_artist, unlike add_patch, skips updating the data limits, which are fixed here and costly.
        return self.axes.add_artist(patch)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        # zlib's fastest level: a tenth less time for the journey map, files about 8% bigger
        self.figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", pil_kwargs={"compress_level": 1})
        self.figure.clear()  # frees the artists now rather than at the next garbage collection
        return buffer.getvalue()


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

    @property
    def height(self) -> float:
        return (2 * NOTE_PAD + len(self.label_lines) * line_height(NOTE_SIZE)
                + len(self.text_lines) * line_height(NOTE_SIZE) + len(self.byline_lines) * line_height(BYLINE_SIZE))


def lay_out_sticky(width: float, text: str, byline: str, *, research: bool, feeling_color: str | None = None,
                   label: str | None = None, count: int = 1) -> Sticky:
    inner = width - 2 * NOTE_PAD - FEELING_EDGE
    return Sticky(
        width=width, research=research, feeling_color=feeling_color, count=count, rtl=right_to_left(text),
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
    patch = sheet.box(x, y, sticky.width, height, NOTE_COLORS[sticky.research],
                      edge=THEME_EDGE if sticky.count > 1 else LINE, zorder=2)
    if sticky.feeling_color is not None:
        sheet.box(x, y, FEELING_EDGE, height, sticky.feeling_color, zorder=2.5)
    left = x + FEELING_EDGE + NOTE_PAD
    right = x + sticky.width - NOTE_PAD
    top = y + NOTE_PAD
    if sticky.label_lines:
        sheet.text(left, top, "\n".join(sticky.label_lines), NOTE_SIZE, bold=True, clip=patch)
        top += len(sticky.label_lines) * line_height(NOTE_SIZE)
    sheet.text(right if sticky.rtl else left, top, "\n".join(sticky.text_lines), NOTE_SIZE,
               ha="right" if sticky.rtl else "left", clip=patch)
    top += len(sticky.text_lines) * line_height(NOTE_SIZE)
    sheet.text(left, top, "\n".join(sticky.byline_lines), BYLINE_SIZE, color=MUTED, clip=patch)
