"""Wording every renderer shares, so the formats say the same thing the same way.

All words come from ``view.labels``; these helpers only fill them in.
"""
from __future__ import annotations

from flows.catalog import NEGATIVE, NEUTRAL, POSITIVE
from flows.research import STATE_MARKS
from flows.summary import EvidenceView, ItemView, PhaseView, SummaryView, Theme
from flows.texts import format_number, format_signed, plural_category

# Unicode faces for formats that cannot show Slack's :emoji: codes.
FEELING_FACES = {POSITIVE: "🙂", NEUTRAL: "😐", NEGATIVE: "😞"}


def label(view: SummaryView, key: str, **values: object) -> str:
    text = view.labels[key]
    return text.format(**values) if values else text


def author_name(view: SummaryView, item: ItemView) -> str | None:
    """Who wrote the item as the summary shows it; None for the bot's drafts."""
    if item.draft:
        return None
    if view.anonymous or item.author is None:
        return label(view, "summary.anonymous")
    return item.author


def evidence_author(view: SummaryView, evidence: EvidenceView) -> str:
    """Who found it, or the anonymous label in anonymous workshops."""
    if view.anonymous or evidence.author is None:
        return label(view, "summary.anonymous")
    return evidence.author


def evidence_name(view: SummaryView, item: ItemView) -> str:
    return label(view, f"evidence.{item.evidence}")


def insight_groups(view: SummaryView) -> list[tuple[str | None, tuple[Theme, ...]]]:
    """The insight themes under a title per phase they sit in ("2. Purchase"), then the whole journey's;
    one untitled group when none names a phase. Titles hold a typed phase name: escape them for the format."""
    groups = view.insight_groups()
    if not any(phase for phase, _ in groups):
        return [(None, view.insight_themes)]
    return [(f"{phase.number}. {phase.name}" if phase else label(view, "pictures.whole_journey"), themes)
            for phase, themes in groups]


def signed(average: float, lang: str) -> str:
    """An average feeling as ``+0.33`` (``+0,33`` in Dutch), a neutral one as ``0.00``."""
    return format_signed(lang, average)


def feeling_spread(view: SummaryView, phase: PhaseView) -> str:
    counts = phase.feeling_counts
    return label(view, "summary.feeling_spread",
                 positive=counts[POSITIVE], neutral=counts[NEUTRAL], negative=counts[NEGATIVE])


def more(view: SummaryView, hidden: int) -> str:
    return label(view, "summary.more", count=hidden)


def counted(view: SummaryView, key: str, count: int, **values: object) -> str:
    """A counted text in the form the summary's language uses for ``count`` (``key`` names its forms)."""
    form = f"{key}.{plural_category(view.lang, count)}"
    return label(view, form if form in view.labels else f"{key}.other", count=format_number(view.lang, count),
                 **values)


def votes(view: SummaryView, item: ItemView) -> str:
    return counted(view, "summary.votes", item.votes)


def state_name(view: SummaryView, state: str) -> str:
    return label(view, f"research.state_{state}")


def state_mark(state: str) -> str:
    return STATE_MARKS[state]


def source_detail(view: SummaryView, evidence: EvidenceView) -> str:
    """``Observation, 8 people``: where evidence comes from and how many it covers."""
    source = label(view, f"research.source_{evidence.source}")
    return source + (", " + counted(view, "counts.people", evidence.people) if evidence.people else "")


def verdict_name(view: SummaryView, evidence: EvidenceView) -> str:
    return label(view, f"research.verdict_{evidence.verdict}")


def share_checked(view: SummaryView) -> str:
    research = view.research
    return counted(view, "research.share_checked", research.assumptions, checked=format_number(view.lang, research.checked),
                   percent=round(100 * research.share_checked), **research.counts)


def curve_line(view: SummaryView, phase: PhaseView) -> str:
    """The phase's feeling as assumed and as research found it."""
    values = {name: label(view, "research.no_value") if value is None else signed(value, view.lang)
              for name, value in (("assumed", phase.assumed_feeling), ("researched", phase.researched_feeling))}
    return label(view, "research.curve_line", **values)
