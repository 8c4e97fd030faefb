"""The curves and circles of the pictures, antialiased, painted with Pillow.

Pillow draws lines and circles without antialiasing, so each shape is drawn four times as large
on a coverage mask just big enough for it, shrunk back (every pixel the mean of sixteen), and
the picture is painted through that mask in the shape's colour: an edge pixel half covered is
half coloured. matplotlib did this before, on a figure the width of the picture, for some 30 ms
a picture and 17 MB of the process's memory for its figure and canvas modules.

A shape is made of strokes, in inches; widths are in points, as typographers give them.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SCALE = 4  # drawn at four times the size, then shrunk: 16 samples a pixel
POINT = 1 / 72  # inches
DASHED, DOTTED = (3.7, 1.6), (1.0, 1.65)  # matplotlib's "--" and ":", in multiples of the line's width


@dataclass(frozen=True)
class Stroke:
    """One part of a shape: a polyline, a disc, a ring, a square or a rounded outline (in inches)."""
    kind: str
    xy: tuple[float, ...]  # polyline: x0, y0, x1, y1, …; disc, ring, square: x, y; rounded: left, top, right, bottom
    size: float = 0.0  # radius (disc, ring), side (square), corner radius (rounded)
    width: float = 0.0  # line width in points (polyline, ring, rounded)

    def bounds(self) -> tuple[float, float, float, float]:
        xs, ys = self.xy[0::2], self.xy[1::2]
        reach = self.size + self.width * POINT
        return min(xs) - reach, min(ys) - reach, max(xs) + reach, max(ys) + reach

    def draw(self, pen, at) -> None:  # pen: a PIL.ImageDraw.ImageDraw
        """On the mask, with ``at(x, y)`` from inches to the mask's pixels."""
        width = max(1, round(self.width * POINT * at.scale))
        if self.kind == "polyline":
            points = [at(x, y) for x, y in zip(self.xy[0::2], self.xy[1::2])]
            pen.line(points, fill=255, width=width, joint="curve")
            return
        x, y = at(*self.xy[:2])
        if self.kind == "disc":
            r = self.size * at.scale
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
        elif self.kind == "ring":
            r = self.size * at.scale + width / 2
            pen.ellipse((x - r, y - r, x + r, y + r), outline=255, width=width)
        elif self.kind == "square":
            half = self.size * at.scale / 2
            pen.rectangle((x - half, y - half, x + half, y + half), fill=255)
        elif self.kind == "rounded":
            right, bottom = at(*self.xy[2:])
            grow = width / 2
            pen.rounded_rectangle((x - grow, y - grow, right + grow, bottom + grow), self.size * at.scale,
                                  outline=255, width=width)


@dataclass(frozen=True, order=True)
class Shape:
    zorder: float
    order: int  # among equal zorders, the one added first is painted first
    color: str
    alpha: float
    strokes: tuple[Stroke, ...]

    def paint(self, image, dpi: float) -> None:  # image: the picture, a PIL.Image.Image
        from PIL import Image, ImageDraw  # imported when a picture is made, not at start-up

        lefts, tops, rights, bottoms = zip(*(stroke.bounds() for stroke in self.strokes))
        left, top = math.floor(min(lefts) * dpi) - 1, math.floor(min(tops) * dpi) - 1
        size = (math.ceil(max(rights) * dpi) + 1 - left, math.ceil(max(bottoms) * dpi) + 1 - top)
        mask = Image.new("L", (size[0] * SCALE, size[1] * SCALE), 0)
        pen = ImageDraw.Draw(mask)
        at = _Mapping(left, top, dpi * SCALE)
        for stroke in self.strokes:
            stroke.draw(pen, at)
        mask = mask.reduce(SCALE)
        if self.alpha < 1:
            mask = mask.point(lambda value: round(value * self.alpha))
        image.paste(self.color, (left, top), mask)


class _Mapping:
    """From inches to the pixels of a mask whose top left is (left, top) in the picture's pixels."""

    def __init__(self, left: int, top: int, scale: float):
        self.left, self.top, self.scale = left, top, scale

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale - self.left * SCALE, y * self.scale - self.top * SCALE


def polyline(points: Sequence[tuple[float, float]], width: float, *, dashes: tuple[float, float] | None = None,
             round_caps: bool = False) -> list[Stroke]:
    """A line through ``points``; ``dashes`` (on, off) in multiples of the width, as matplotlib's
    styles ("--" is (3.7, 1.6), ":" is (1, 1.65)); ``round_caps`` for a solid line's ends."""
    runs = _dashed(points, dashes[0] * width * POINT, dashes[1] * width * POINT) if dashes else [list(points)]
    strokes = [Stroke("polyline", tuple(coordinate for point in run for coordinate in point), width=width)
               for run in runs if len(run) > 1]
    if round_caps and not dashes:
        strokes += [Stroke("disc", end, size=width * POINT / 2) for end in (points[0], points[-1])]
    return strokes


def _dashed(points: Sequence[tuple[float, float]], on: float, off: float) -> list[list[tuple[float, float]]]:
    """The pieces of the polyline a dash pattern leaves drawn, starting with a dash."""
    runs: list[list[tuple[float, float]]] = [[points[0]]]
    drawing, left = True, on  # in the pattern: whether a dash is being drawn, and how much of it or the gap is left
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        length, done = math.hypot(x1 - x0, y1 - y0), 0.0
        while length - done > left:
            done += left
            point = (x0 + (x1 - x0) * done / length, y0 + (y1 - y0) * done / length)
            if drawing:
                runs[-1].append(point)
            else:
                runs.append([point])
            drawing, left = not drawing, off if drawing else on
        left -= length - done
        if drawing:
            runs[-1].append((x1, y1))
    return runs


def runs_without_gaps(points: Iterable[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """The stretches of a curve between its missing points (y None)."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if y is None:
            runs.append([])
        else:
            runs[-1].append((x, y))
    return [run for run in runs if run]
