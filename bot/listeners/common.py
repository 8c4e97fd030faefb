"""What every listener shares: acknowledging, reading the workspace of a request, and Slack's text encoding.

Slack sends message text encoded (mentions as <@U…>, links as <url|label>, &amp; &lt; &gt;).
journeybot stores what the person saw instead, and escapes it again on the way out."""
from __future__ import annotations

import re
from collections.abc import Mapping

# Slack's own tokens only: mentions (@, #, !) and links (a scheme, `http:`, `mailto:`). Text that merely looks
# like a tag (`<b>`, which Slack itself would have sent as `&lt;b&gt;`) is kept as the person typed it.
_ENCODED = re.compile(r"<([@#!][^<>]*|[a-z][a-z0-9+.-]*:[^<>]*)>", re.IGNORECASE)
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")


def _plain(match: re.Match, names: Mapping[str, str]) -> str:
    target, _, label = match.group(1).partition("|")
    if target.startswith(("@", "#")):
        if label:
            return label if label.startswith(("@", "#")) else target[0] + label
        return target[0] + names[target[1:]] if target[1:] in names else target
    if target.startswith("!"):  # <!channel>, <!here>, <!subteam^S1|@team>, <!date^…|fallback>
        special = target[1:].split("^")[0]
        return label or f"@{special}"
    return f"{label} ({target})" if label and label != target else target


def to_plain(text: str, names: Mapping[str, str] | None = None) -> str:
    """The text as the person saw it; a bare mention `<@U…>` reads `@name`, and `<#C…>` `#name`, when ``names``
    (by user or channel ID) has it."""
    text = _ENCODED.sub(lambda match: _plain(match, names or {}), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mentioned_users(text: str) -> tuple[str, ...]:
    """The user IDs mentioned in Slack-encoded text (`<@U123>` or `<@U123|name>`), each once, in order."""
    return tuple(dict.fromkeys(_USER_MENTION.findall(text)))


def acknowledge(ack) -> None:
    """Slack hears back at once; the work runs after, in Bolt's lazy step."""
    ack()


def team_of(body: dict) -> str:
    """The workspace an interaction comes from."""
    return (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")
