"""Text painted glyph by glyph from a cache, onto the picture.

Pillow's text drawing (and matplotlib's alike) loads and rasterizes every glyph again for every
line, about a millisecond a line: a full map of 1,000 notes spent seconds on it. Here each glyph
of a font and size is rasterized once (by Pillow's FreeType) and then stamped wherever it is
needed. Lines arrive already in visual order with Arabic in its joined forms (typeset.visual),
so placing glyphs one after the other is all the layout there is; each glyph comes from the
first font of the chain that has it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from renderers.typeset import Fonts


@dataclass(frozen=True)
class Glyph:
    mask: np.ndarray | None  # coverage 0–255; None for a blank glyph (a space)
    left: int  # from the pen position to the mask's left edge, in pixels
    top: int  # from the baseline to the mask's top edge (negative: above it)
    advance: float


@functools.cache
def _font(path: str, pixels: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, pixels, layout_engine=ImageFont.Layout.BASIC)


@functools.cache
def glyph(path: str, pixels: float, char: str) -> Glyph:
    font = _font(path, pixels)
    # measured at a large size: at 12 px FreeType rounds each advance to a whole pixel, and a
    # line of fifty glyphs would come out several pixels longer than the wrapping measured
    advance = _font(path, 1000).getlength(char) * pixels / 1000
    left, top, right, bottom = font.getbbox(char, anchor="ls")
    if right <= left or bottom <= top:
        return Glyph(None, 0, 0, advance)
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), char, font=font, fill=255, anchor="ls")
    return Glyph(np.asarray(mask), left, top, advance)


@functools.cache
def ascent(path: str, pixels: float) -> int:
    return _font(path, pixels).getmetrics()[0]


class Painter:
    """Paints lines of text onto an RGB image with the glyphs of a font chain.

    A word is stamped whole: its glyphs are put together the first time it is painted in this
    picture and reused after, since a thousand notes repeat their words (the, and, checkout).
    The words go with the Painter, so a picture keeps no memory of the one before.
    """

    def __init__(self, image: Image.Image, chain: Fonts):
        self.image, self.chain = image, chain
        self._draw = ImageDraw.Draw(image)
        self._fonts: dict[tuple[float, bool], _Chars] = {}
        self._words: dict[tuple[str, float, bool], Glyph] = {}

    def _chars(self, pixels: float, bold: bool) -> _Chars:
        chars = self._fonts.get((pixels, bold))
        if chars is None:
            chars = self._fonts[pixels, bold] = _Chars(self.chain, pixels, bold)
        return chars

    def width(self, line: str, pixels: float, bold: bool = False) -> float:
        return sum(g.advance for g in map(self._chars(pixels, bold).__getitem__, line))

    def line(self, x: float, baseline: float, line: str, pixels: float, color: tuple[int, int, int],
             bold: bool = False) -> None:
        """Stamps the line's words into one coverage mask, then paints the mask in ``color``."""
        chars = self._chars(pixels, bold)
        glyphs = []
        for index, word in enumerate(line.split(" ")):
            if index:
                glyphs.append(chars[" "])
            glyph = self._words.get((word, pixels, bold))
            if glyph is None:
                glyph = self._words[word, pixels, bold] = _joined(list(map(chars.__getitem__, word)))
            glyphs.append(glyph)
        joined = _joined(glyphs)
        if joined.mask is not None:  # drawn through the mask in the colour, with no image of the colour made
            self._draw.bitmap((round(x) + joined.left, round(baseline) + joined.top), Image.fromarray(joined.mask),
                              fill=color)

    def ascent(self, pixels: float) -> int:
        first = self.chain.faces[0]
        return ascent(first.regular, pixels)


class _Chars(dict):
    """The glyphs of one size and weight by character, each from the first font of the chain that has it."""

    def __init__(self, chain: Fonts, pixels: float, bold: bool):
        super().__init__()
        self.chain, self.pixels, self.bold = chain, pixels, bold

    def __missing__(self, char: str) -> Glyph:
        face = self.chain.face_for(char)
        found = self[char] = glyph(face.bold if self.bold else face.regular, self.pixels, char)
        return found


def _joined(glyphs: list[Glyph]) -> Glyph:
    """The glyphs one after the other as one: their masks in one coverage mask, their advances summed."""
    placed, pen = [], 0.0
    for g in glyphs:
        if g.mask is not None:
            placed.append((round(pen) + g.left, g.top, g.mask))
        pen += g.advance
    if not placed:
        return Glyph(None, 0, 0, pen)
    if len(placed) == 1:
        left, top, mask = placed[0]
        return Glyph(mask, left, top, pen)
    left = min(dx for dx, _, _ in placed)
    top = min(dy for _, dy, _ in placed)
    right = max(dx + mask.shape[1] for dx, _, mask in placed)
    bottom = max(dy + mask.shape[0] for _, dy, mask in placed)
    coverage = np.zeros((bottom - top, right - left), dtype=np.uint8)
    for dx, dy, mask in placed:
        area = coverage[dy - top:dy - top + mask.shape[0], dx - left:dx - left + mask.shape[1]]
        np.maximum(area, mask, out=area)
    return Glyph(coverage, left, top, pen)
