"""Text painted glyph by glyph from a cache, onto the picture matplotlib drew.

matplotlib (and Pillow's text drawing alike) loads and rasterizes every glyph again for every
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
    """Paints lines of text onto an RGB image with the glyphs of a font chain."""

    def __init__(self, image: Image.Image, chain: Fonts):
        self.image, self.chain = image, chain

    def _glyphs(self, line: str, pixels: float, bold: bool) -> list[Glyph]:
        return [glyph(face.bold if bold else face.regular, pixels, char)
                for char, face in ((char, self.chain.face_for(char)) for char in line)]

    def width(self, line: str, pixels: float, bold: bool = False) -> float:
        return sum(g.advance for g in self._glyphs(line, pixels, bold))

    def line(self, x: float, baseline: float, line: str, pixels: float, color: tuple[int, int, int],
             bold: bool = False) -> None:
        """Stamps the line's glyphs into one coverage mask, then paints the mask in ``color``."""
        placed, pen = [], 0.0
        for g in self._glyphs(line, pixels, bold):
            if g.mask is not None:
                placed.append((round(pen) + g.left, g.top, g.mask))
            pen += g.advance
        if not placed:
            return
        left = min(dx for dx, _, _ in placed)
        top = min(dy for _, dy, _ in placed)
        right = max(dx + mask.shape[1] for dx, _, mask in placed)
        bottom = max(dy + mask.shape[0] for _, dy, mask in placed)
        coverage = np.zeros((bottom - top, right - left), dtype=np.uint8)
        for dx, dy, mask in placed:
            area = coverage[dy - top:dy - top + mask.shape[0], dx - left:dx - left + mask.shape[1]]
            np.maximum(area, mask, out=area)
        self.image.paste(color, (round(x) + left, round(baseline) + top), Image.fromarray(coverage))

    def ascent(self, pixels: float) -> int:
        first = self.chain.faces[0]
        return ascent(first.regular, pixels)
