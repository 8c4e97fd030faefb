"""The storyboard's scenes: which pictogram draws a panel's scene (its caption is chosen in flows.summary)."""
from __future__ import annotations

import re

from flows.summary import ItemView

_SHORTCODE = re.compile(r":[a-z0-9_+\-']+:")


def pictogram_of(pick: ItemView | None, default: str) -> tuple[str, str]:
    """The scene's pictogram (the first emoji in the pick, as a character or a Slack ``:code:``,
    else the scene's own) and the caption without it."""
    if pick is None:
        return default, ""
    import emoji  # not at start-up: only when a storyboard is drawn

    text = emoji.emojize(pick.text, language="alias")
    found = emoji.emoji_list(text)
    chosen = found[0]["emoji"] if found else default
    return chosen, without_emoji(text)


def without_emoji(text: str) -> str:
    """The text without emoji characters or Slack emoji codes, for a caption under its scene."""
    import emoji

    text = emoji.replace_emoji(emoji.emojize(text, language="alias"), "")
    return " ".join(_SHORTCODE.sub("", text).split())
