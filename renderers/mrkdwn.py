"""Slack's mrkdwn: making people's text safe to show, and fitting it into Slack's limits."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone


def escape(text: str) -> str:
    """User text as mrkdwn that cannot ping @channel, mention anyone or disguise a link.

    Slack reads ``<…>`` as mentions and links and ``&`` as an entity, so these three are
    the only characters to encode (https://api.slack.com/reference/surfaces/formatting#escaping).
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit_lines(lines: Sequence[str], *, limit: int, more: str) -> tuple[str, int]:
    """As many whole lines as fit in ``limit`` characters, then ``more`` (formatted with the rest's count).

    Returns the text and how many lines were left out.
    """
    if sum(len(line) + 1 for line in lines) - 1 <= limit:
        return "\n".join(lines), 0
    kept: list[str] = []
    used = 0
    for line in lines:
        rest = len(lines) - len(kept) - 1
        if used + len(line) + 1 + len(more.format(count=rest)) > limit:
            break
        kept.append(line)
        used += len(line) + 1
    left_out = len(lines) - len(kept)
    return "\n".join([*kept, more.format(count=left_out)]), left_out


def clip(text: str, limit: int) -> str:
    """Cut a single text to ``limit`` characters, marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def date_token(moment: datetime, date_format: str) -> str:
    """A moment Slack shows in each reader's own time zone; clients that cannot, show the UTC fallback."""
    fallback = f"{moment.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"
    return f"<!date^{int(moment.timestamp())}^{date_format}|{fallback}>"
