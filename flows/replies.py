"""Reads a thread reply: which lane it belongs in, the feeling, and where it comes from."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flows.catalog import Catalog
from flows.texts import Pack, available_languages, load_pack
from flows.vocabulary import Evidence, Lane

MAX_ANSWER_LENGTH = 3000

_SLACK_EMOJI = re.compile(r":([a-z0-9_+\-']+):")
_TYPED_FACE = re.compile(r"(?<!\S)(:-?\)|:-?\||:-?\(|:'\(|:-?D)(?!\S)")
_LEADING_WORD = re.compile(r"([^\W\d_]{2,20}) ?:")
_HASHTAG = re.compile(r"(?<!\S)#([^\W_][\w-]*)", re.UNICODE)
# Control characters other than line breaks and tabs never belong in a sticky note.
_CONTROL = {c for c in range(32) if chr(c) not in "\n\t"} | {127}
# A text of only these (spaces, or format characters such as the zero-width space) looks empty, so it is.
_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf"}


@dataclass(frozen=True)
class ParsedReply:
    text: str
    lane: Lane | None
    feeling: int | None
    evidence: Evidence
    needs_lane: bool
    needs_feeling: bool
    prefixed: bool = False  # it started with a lane's prefix (``insight: …``)


def clean_text(text: str) -> str:
    """Text as a person meant it: no control characters, tidy white space."""
    text = "".join(ch for ch in text if ord(ch) not in _CONTROL and unicodedata.category(ch) != "Cs")
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    text = "\n".join(lines).strip()
    return text if any(unicodedata.category(ch) not in _INVISIBLE for ch in text) else ""


def find_feeling(text: str, catalog: Catalog) -> tuple[int | None, str]:
    """The first feeling marker in the text, and the text without it."""
    candidates = [(m.start(), m.end(), m.group(0)) for m in _TYPED_FACE.finditer(text)]
    candidates += [(m.start(), m.end(), m.group(1)) for m in _SLACK_EMOJI.finditer(text)]
    candidates += [(i, i + 1, ch) for i, ch in enumerate(text) if ch in catalog.feeling_words]
    for start, end, word in sorted(candidates):
        value = catalog.feeling_words.get(word.lower())
        if value is not None:
            return value, clean_text(text[:start] + " " + text[end:])
    return None, text


def _lane_prefixes(pack: Pack, lanes: tuple[str, ...]) -> dict[str, str]:
    english = load_pack("en")
    return {
        prefix.casefold(): lane
        for lane in lanes
        for source in (english, pack)
        for prefix in source.raw(f"lanes.{lane}.prefixes")
    }


def _split_lane_prefix(text: str, prefixes: dict[str, str]) -> tuple[str | None, str]:
    """``does: …`` names the lane; so does ``feels :(`` (the colon there belongs to the face)."""
    folded = text.casefold()
    for prefix in sorted(prefixes, key=len, reverse=True):
        if not folded.startswith(prefix):
            continue
        rest = text[len(prefix):].lstrip()
        if _TYPED_FACE.match(rest) or _SLACK_EMOJI.match(rest):
            return prefixes[prefix], rest
        if rest.startswith(":"):
            return prefixes[prefix], rest[1:].lstrip()
    return None, text


def strip_lane_prefix(text: str, lane: str, pack: Pack) -> str | None:
    """The text after a prefix naming ``lane`` (e.g. ``touchpoint:``), or None if it starts with none."""
    found, rest = _split_lane_prefix(text, _lane_prefixes(pack, (lane,)))
    return rest if found else None


def strip_near_miss_prefix(text: str, lane: str) -> str:
    """The text without a leading ``word:`` that misses one of ``lane``'s prefixes: a typo (``dose:`` for
    ``does:``), a shortening (``opp:``) or the other language's word (``kans:`` in an English workshop).
    For an answer its author sorted into ``lane``: they meant that prefix. Anything else stays as written."""
    match = _LEADING_WORD.match(text)
    if not match:
        return text
    from_colon = text[match.end() - 1:]
    if _TYPED_FACE.match(from_colon) or _SLACK_EMOJI.match(from_colon):  # "fels :(": the colon is the face's
        return text
    rest = text[match.end():].strip()
    word = match.group(1).casefold()
    prefixes = {prefix.casefold() for code in available_languages() for prefix in load_pack(code).raw(f"lanes.{lane}.prefixes")}
    return rest if rest and any(_near_miss(word, prefix) for prefix in prefixes) else text


def _near_miss(word: str, prefix: str) -> bool:
    """A start of the prefix (three letters or more), or a typo: one slip in a short prefix, two in a long one;
    prefixes of three letters or less (``do``, ``who``) only as they are."""
    if len(word) >= 3 and prefix.startswith(word):
        return True
    allowed = 0 if len(prefix) <= 3 else 1 if len(prefix) <= 5 else 2
    return _typo_distance(word, prefix) <= allowed


def _typo_distance(a: str, b: str) -> int:
    """Letters added, dropped, changed or swapped with their neighbour (optimal string alignment distance)."""
    rows = [list(range(len(b) + 1))]
    for i, char in enumerate(a, start=1):
        row = [i]
        for j, other in enumerate(b, start=1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def _evidence(text: str, pack: Pack) -> tuple[Evidence, str]:
    tags = load_pack("en").evidence_tags() | pack.evidence_tags()
    evidence = Evidence.ASSUMPTION
    for match in _HASHTAG.finditer(text):
        if match.group(1).casefold() in tags:
            evidence = tags[match.group(1).casefold()]
    stripped = _HASHTAG.sub(lambda m: "" if m.group(1).casefold() in tags else m.group(0), text)
    return evidence, clean_text(stripped)


def parse_reply(
    raw: str,
    *,
    lanes: tuple[str, ...],
    feeling_lane: str | None,
    pack: Pack,
    catalog: Catalog,
) -> ParsedReply:
    evidence, text = _evidence(clean_text(raw), pack)
    lane, text = _split_lane_prefix(text, _lane_prefixes(pack, lanes))
    prefixed = lane is not None
    feeling = None
    if feeling_lane and lane in (None, feeling_lane):
        feeling, text = find_feeling(text, catalog)
        if lane is None and feeling is not None:
            lane = feeling_lane
    if lane is None and len(lanes) == 1:
        lane = lanes[0]
    return ParsedReply(
        text=text,
        lane=lane,
        feeling=feeling,
        evidence=evidence,
        needs_lane=lane is None,
        needs_feeling=lane is not None and lane == feeling_lane and feeling is None,
        prefixed=prefixed,
    )
