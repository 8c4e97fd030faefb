"""Text for the pictures: which fonts draw it, how wide it is, where it wraps, and right-to-left shaping.

The pictures place glyphs one after the other, left to right, with no shaping (renderers/glyphs.py).
So a line of Arabic or Hebrew is reshaped (Arabic letters to their joined forms, with
arabic-reshaper) and put in visual order (the Unicode bidi algorithm, with python-bidi) after it
is wrapped, one line at a time. Each glyph comes from the first font that has it: the workshop's
own font if one is set, DejaVu Sans (matplotlib ships it, and reads the fonts' character maps),
then Noto Sans Arabic and Hebrew, Noto Sans CJK and Symbola (monochrome emoji), as far as they are
installed (scripts/setup and .ci/run install them). A character that no font has is drawn as
U+FFFD, and no warning about a missing glyph is printed in the middle of a session.
"""
from __future__ import annotations

import bisect
import functools
import glob
import itertools
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# The fallback fonts by family name and the file names that hold them, regular and bold.
FALLBACK_FONTS = (
    ("Noto Sans Arabic", ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf")),
    ("Noto Sans Hebrew", ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf")),
    ("Noto Sans CJK JP", ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc")),
    ("Symbola", ("Symbola_hint.ttf", "Symbola_hint.ttf")),
)
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
REPLACEMENT = "\ufffd"
WIDE_EMS, NARROW_EMS = 1.0, 0.6  # the width guessed for a character no font measures
_RTL = {"R", "AL"}
_SKIN_TONES = (0x1F3FB, 0x1F3FF)


@dataclass(frozen=True)
class Face:
    """One font of the chain: its files."""
    family: str
    regular: str
    bold: str


@dataclass(frozen=True)
class Fonts:
    """The fonts to draw with, in order, and which of them draws each character."""
    faces: tuple[Face, ...]
    # By code point, 1 + the index of the first face that has it, 0 where none has: 1.1 MB, of which
    # only the pages of the scripts the fonts have are ever touched (sets of the characters took 6 MB).
    firsts: bytearray = field(compare=False, hash=False, repr=False)

    def covers(self, char: str) -> bool:
        return self.firsts[ord(char)] > 0

    def covers_all(self, text: str) -> bool:
        return all(map(self.firsts.__getitem__, map(ord, text)))

    def face_for(self, char: str) -> Face:
        """The first font that has ``char`` (the first of all for one nobody has)."""
        return self.faces[max(0, self.firsts[ord(char)] - 1)]


@functools.cache
def fonts(font_path: str | None = None) -> Fonts:
    """The font chain for pictures; ``font_path`` (JOURNEYBOT_FONT) comes first when given."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    faces: list[Face] = []
    firsts = bytearray(sys.maxunicode + 1)

    def add(regular: str, bold: str) -> None:
        font = FT2Font(regular)
        faces.append(Face(font.family_name, regular, bold))
        for code in font.get_charmap():
            if not firsts[code]:
                firsts[code] = len(faces)

    if font_path:
        add(font_path, font_path)
    add(font_manager.findfont("DejaVu Sans", fallback_to_default=True),
        font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight="bold")))
    for _, (regular, bold) in FALLBACK_FONTS:
        found = _installed(regular)
        if found:
            add(found[0], (_installed(bold) or found)[0])
    return Fonts(tuple(faces), firsts)


@functools.cache
def _installed(file_name: str) -> tuple[str, ...]:
    found = [path for folder in FONT_DIRS for path in glob.glob(f"{folder}/**/{file_name}", recursive=True)]
    return tuple(sorted(found)[:1])


def drawable(text: str, chain: Fonts) -> str:
    """``text`` with only what the fonts can draw: invisible modifiers no font has (joiners,
    variation selectors) and skin tones (a monochrome emoji has none) are left out, any other
    character no font has becomes U+FFFD."""
    if chain.covers_all(text.replace("\n", "")) and max(text, default="") < chr(_SKIN_TONES[0]):
        return text  # nearly always: every character drawable, no skin tone to leave out

    def shown(char: str) -> str:
        if _SKIN_TONES[0] <= ord(char) <= _SKIN_TONES[1]:
            return ""
        if chain.covers(char) or char == "\n":
            return char
        return "" if unicodedata.category(char) in ("Cf", "Mn") else REPLACEMENT

    return "".join(map(shown, text))


def visual(line: str, rtl: bool = False) -> str:
    """One line in the order its glyphs are drawn, left to right: right-to-left runs reshaped and reversed,
    in a paragraph that reads from the right when ``rtl``, else from the left."""
    if line.isascii() or not any(unicodedata.bidirectional(char) in _RTL for char in line):
        return line
    from arabic_reshaper import reshape
    from bidi import get_display

    return get_display(reshape(line), base_dir="R" if rtl else "L")


@functools.cache
def _measuring_font():
    """DejaVu Sans at 100 pixels to the em: the wrapping measures with its advance widths."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    font = FT2Font(font_manager.findfont("DejaVu Sans", fallback_to_default=True))
    font.set_size(100, 72)
    return font, font.get_charmap()


@functools.cache
def char_ems(char: str) -> float:
    """A character's width in ems: DejaVu's own where it has the glyph, else a cautious guess."""
    if unicodedata.east_asian_width(char) in "WF":
        return WIDE_EMS
    font, charmap = _measuring_font()
    if ord(char) in charmap:
        return font.load_char(ord(char)).linearHoriAdvance / 65536 / 100
    return WIDE_EMS if ord(char) > 0xFFFF else NARROW_EMS


def text_ems(text: str) -> float:
    return sum(map(char_ems, text))


def _fitting(text: str, ems: float) -> int:
    """How many leading characters of ``text`` fit in ``ems`` (at least one, so wrapping moves on)."""
    used = 0.0
    for index, char in enumerate(text):
        used += char_ems(char)
        if used > ems:
            return max(index, 1)
    return len(text)


def wrap(text: str, ems: float, max_lines: int | None = None) -> list[str]:
    """``text`` broken into lines of at most ``ems`` at spaces (anywhere in CJK and in overlong
    words), keeping the writer's own line breaks; "…" ends a text cut at ``max_lines``."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(_wrap_paragraph(" ".join(paragraph.split()), ems))
    lines = [line for line in lines if line] or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = last[: _fitting(last, ems - char_ems("…"))].rstrip() + "…"
    return lines


def _wrap_paragraph(text: str, ems: float) -> Iterable[str]:
    """The characters are measured once, as where each one ends; each line's cut is then a binary search."""
    ends = list(itertools.accumulate(map(char_ems, text)))
    start = 0
    while start < len(text):
        before = ends[start - 1] if start else 0.0
        cut = max(bisect.bisect_right(ends, before + ems, lo=start), start + 1)  # one at least, so wrapping moves on
        if cut < len(text):
            space = text.rfind(" ", start, cut + 1)
            cut = space if space > start else cut
        yield text[start:cut].rstrip()
        start = cut + 1 if text.startswith(" ", cut) else cut


def shorten(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut at a word before ``limit`` characters with "…", and whether it was cut."""
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …", True
