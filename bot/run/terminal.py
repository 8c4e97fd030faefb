"""Slack messages as plain terminal text: what the demo prints and the console shows.

Mentions become names, Slack's encoding is undone, buttons show as [Label]; mrkdwn's *bold*
and _italic_ marks stay, as they read well enough as they are.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from bot.listeners.common import to_plain

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
RULE = "─" * 40


def decode(text: str, names: Mapping[str, str]) -> str:
    """Slack's encoded text as a person reads it, with @Name for mentions of people and #name for channels we know."""
    return to_plain(_MENTION.sub(lambda match: "@" + names.get(match.group(1), match.group(1)), text), names)


def message_text(message: dict, names: Mapping[str, str]) -> str:
    """A message as lines of text: its blocks (or its text when it has none, or a person wrote it: their blocks
    only render the text), its files and reactions."""
    lines = [] if not message.get("bot_id") else blocks_lines(message.get("blocks") or [], names)
    if not lines and message.get("text"):
        lines = decode(message["text"], names).splitlines()
    lines += [f"📎 {file.get('name') or file.get('title', '')}" for file in message.get("files") or []]
    reactions = [f":{reaction['name']}: {', '.join(names.get(user, user) for user in reaction['users'])}"
                 for reaction in message.get("reactions") or []]
    if reactions:
        lines.append("   ".join(reactions))
    return "\n".join(lines)


def blocks_lines(blocks: list[dict], names: Mapping[str, str]) -> list[str]:
    return [line for block in blocks for line in _block_lines(block, names)]


def _block_lines(block: dict, names: Mapping[str, str]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        title = _text(block.get("text"), names)
        return [title, "═" * len(title)]
    if kind == "section":
        lines = _text(block.get("text"), names).splitlines()
        lines += [_text(field, names) for field in block.get("fields") or []]
        return lines + ([_element(block["accessory"], names)] if block.get("accessory") else [])
    if kind == "context":
        return ["  ".join(_element(element, names) for element in block.get("elements") or [])]
    if kind == "actions":
        return [" ".join(_element(element, names) for element in block.get("elements") or [])]
    if kind == "rich_text":
        return "".join(_rich_text(element, names) for element in block.get("elements") or []).splitlines()
    if kind == "input":
        return [f"{_text(block.get('label'), names)}: {_element(block.get('element') or {}, names)}"]
    if kind == "image":
        return [f"🖼 {block.get('alt_text', '')}"]
    if kind == "divider":
        return [RULE]
    return []


def _text(text_object: dict | None, names: Mapping[str, str]) -> str:
    if not text_object:
        return ""
    return decode(text_object["text"], names) if text_object.get("type") == "mrkdwn" else text_object["text"]


def _element(element: dict, names: Mapping[str, str]) -> str:
    """One element of a context or actions block: its text, or [Label] for something to press."""
    kind = element.get("type")
    if kind in ("mrkdwn", "plain_text"):
        return _text(element, names)
    if kind == "image":
        return f"🖼 {element.get('alt_text', '')}"
    if kind == "button":
        return f"[{_text(element.get('text'), names)}]"
    label = _text(element.get("placeholder"), names)
    chosen = (element.get("initial_option") or {}).get("text", {}).get("text")
    if label and chosen:  # a menu that shows its current choice
        return f"[{label} ▾ {chosen}]"
    return f"[{label or chosen or kind} ▾]"


def _rich_text(element: dict, names: Mapping[str, str]) -> str:
    """A rich_text section, list, quote or preformatted block, flattened to its text."""
    kind = element.get("type")
    if kind == "text":
        return element.get("text", "")
    if kind == "user":
        return "@" + names.get(element.get("user_id", ""), element.get("user_id", ""))
    if kind == "emoji":
        return f":{element.get('name', '')}:"
    if kind == "link":
        return element.get("text") or element.get("url", "")
    if kind == "channel":
        return f"#{element.get('channel_id', '')}"
    inner = "".join(_rich_text(child, names) for child in element.get("elements") or [])
    return inner + ("\n" if kind in ("rich_text_section", "rich_text_preformatted", "rich_text_quote") else "")
