"""The summary as Markdown, for a file in Slack or a wiki page."""
from __future__ import annotations

import re

from flows.summary import SummaryView
from renderers.templating import environment

_BLANK_LINE_RUNS = re.compile(r"\n{3,}")


def to_markdown(view: SummaryView) -> str:
    text = environment().get_template("summary.md.j2").render(view=view)
    # The template's blocks each bring their own spacing; one blank line between blocks is enough.
    return _BLANK_LINE_RUNS.sub("\n\n", text)
