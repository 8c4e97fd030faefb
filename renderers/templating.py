"""The one jinja2 environment every text renderer uses."""
from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from flows.catalog import FEELING_NAMES
from flows.summary import FEELING_EMOJI, feeling_bucket
from renderers import words

# Characters that would turn plain text into Markdown emphasis, code, links, HTML or an entity (`&amp;`);
# backslash-escaped, so the file's text still reads as typed (CommonMark escapes any ASCII punctuation).
_MARKDOWN_SYNTAX = set("\\`*_[]<>&")
# At the start of a list item these would open a heading, a nested list or a rule.
_MARKDOWN_LINE_OPENERS = tuple("#+-=|")
_ORDERED_LIST_NUMBER = re.compile(r"\d+(?=[.)])")


def markdown_text(text: object) -> str:
    """User text made inert for Markdown: on one line, its syntax (HTML included) backslash-escaped."""
    flat = " ".join(str(text).split())
    escaped = "".join(f"\\{char}" if char in _MARKDOWN_SYNTAX else char for char in flat)
    return _escape_line_start(escaped)


def _escape_line_start(text: str) -> str:
    if number := _ORDERED_LIST_NUMBER.match(text):
        return f"{number.group(0)}\\{text[number.end():]}"
    return f"\\{text}" if text.startswith(_MARKDOWN_LINE_OPENERS) else text


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("renderers"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    env.filters["signed"] = words.signed
    env.globals.update(
        label=words.label, author_name=words.author_name, evidence_name=words.evidence_name,
        feeling_spread=words.feeling_spread, more=words.more, votes=words.votes,
        feeling_emoji=FEELING_EMOJI, feeling_faces=words.FEELING_FACES, feeling_names=FEELING_NAMES,
        feeling_bucket=feeling_bucket, state_name=words.state_name, state_mark=words.state_mark,
        source_detail=words.source_detail, verdict_name=words.verdict_name, share_checked=words.share_checked,
        curve_line=words.curve_line, insight_groups=words.insight_groups,
    )
    return env
