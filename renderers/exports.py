"""Exports of a summary to keep outside Slack: a printable HTML page, JSON and CSV."""
from __future__ import annotations

import base64
import csv
import io
import json
from datetime import datetime
from typing import Any

from flows.catalog import FEELING_NAMES
from flows.research import FOUND
from flows.summary import EvidenceView, ItemView, PanelView, PhaseView, SummaryView, Theme
from renderers.templating import environment
from renderers.words import author_name, evidence_author

JSON_SCHEMA_ID = "journeybot.summary/4"
CSV_COLUMNS = ("section", "step", "phase", "lane", "theme_id", "theme", "text", "feeling", "why", "author",
               "evidence", "votes", "created_at", "state", "evidence_count", "sources", "caption")
CAPTION_PICKED, CAPTION_AUTO = "picked", "most_voted"  # the caption column: a lead's pick, or by the votes
# A spreadsheet runs a cell that starts with one of these as a formula (some also after leading white space).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_html(view: SummaryView, map_png: bytes | None = None) -> str:
    """A standalone page; ``map_png`` (the journey map picture) is embedded when given."""
    map_uri = f"data:image/png;base64,{base64.b64encode(map_png).decode('ascii')}" if map_png else None
    return environment().get_template("summary.html.j2").render(view=view, map_uri=map_uri)


def to_json(view: SummaryView) -> str:
    """The summary as JSON in the ``journeybot.summary/4`` schema (docs/summary.schema.json)."""
    document = {
        "schema": JSON_SCHEMA_ID,
        "workshop": {"id": view.workshop_id, "title": view.title, "kind": view.kind, "kind_name": view.kind_name,
                     "lang": view.lang, "status": view.status, "anonymous": view.anonymous},
        "progress": view.progress,
        "context": view.context,
        "generated_at": view.generated_at.isoformat(),
        "counts": {"items": view.item_count, "people": view.people_count,
                   "evidence": dict(view.evidence_counts)},
        "lanes": list(view.lane_order),
        "end_user": _json_items(view, view.end_user),
        "phases": [_json_phase(view, phase) for phase in view.phases],
        "insights": _json_items(view, view.insights),
        "insight_themes": [_json_theme(theme) for theme in view.insight_themes],
        "hmw": _json_items(view, view.hmw),
        "experience": _json_items(view, view.experience),
        "intentions": _json_items(view, view.intentions),
        "storyboard": [_json_panel(view, panel) for panel in view.storyboard],
        "research": _json_research(view),
        "unsorted": _json_items(view, view.unsorted),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_csv(view: SummaryView) -> str:
    """One row per answer the team gave (the bot's drafts left out), safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    themes = {note.id: theme for theme in view.all_themes() for note in theme.notes}
    captions = {panel.caption.id: CAPTION_PICKED if panel.picked else CAPTION_AUTO
                for panel in view.storyboard if panel.caption}
    for item in view.all_items():
        row = (*_csv_row(view, item, themes.get(item.id)), captions.get(item.id, ""))
        writer.writerow(_guard_formula(cell) for cell in row)
    return out.getvalue()


def _json_items(view: SummaryView, items: tuple[ItemView, ...]) -> list[dict[str, Any]]:
    return [_json_item(view, item) for item in items]


def _json_item(view: SummaryView, item: ItemView) -> dict[str, Any]:
    return {
        "id": item.id, "lane": item.lane, "text": item.text, "author": author_name(view, item),
        "evidence": item.evidence, "is_research": item.is_research,
        "feeling": item.feeling, "why": item.why,
        "phase": item.phase, "step": item.step_key or None, "votes": item.votes, "draft": item.draft,
        "created_at": _iso(item.created_at),
        "state": item.state, "research": [_json_evidence(view, evidence) for evidence in item.evidence_found],
    }


def _json_evidence(view: SummaryView, evidence: EvidenceView) -> dict[str, Any]:
    return {"verdict": evidence.verdict, "text": evidence.text, "source": evidence.source, "people": evidence.people,
            "link": evidence.link, "author": evidence_author(view, evidence), "created_at": _iso(evidence.created_at)}


def _json_research(view: SummaryView) -> dict[str, Any] | None:
    research = view.research
    if research is None:
        return None
    return {"assumptions": research.assumptions, "checked": research.checked,
            "share_checked": round(research.share_checked, 4), "states": dict(research.counts),
            "refuted": [item.id for item in research.refuted], "disputed": [item.id for item in research.disputed],
            "findings": [item.id for item in research.findings]}


def _json_phase(view: SummaryView, phase: PhaseView) -> dict[str, Any]:
    return {
        "number": phase.number, "name": phase.name, "average_feeling": phase.average_feeling,
        "assumed_feeling": phase.assumed_feeling, "researched_feeling": phase.researched_feeling,
        "feelings": {FEELING_NAMES[value]: count for value, count in phase.feeling_counts.items()},
        "lanes": {lane: _json_items(view, phase.lanes.get(lane, ())) for lane in view.lane_order},
        "themes": {lane: [_json_theme(theme) for theme in phase.themes.get(lane, ())] for lane in view.lane_order},
    }


def _json_theme(theme: Theme) -> dict[str, Any]:
    return {
        "id": theme.id, "label": theme.label, "renamed": theme.renamed, "count": theme.count,
        "note_ids": list(theme.note_ids), "representative_id": theme.representative.id,
        "people": list(theme.people), "average_feeling": theme.feeling, "phase": theme.phase,
    }


def _json_panel(view: SummaryView, panel: PanelView) -> dict[str, Any]:
    return {"number": panel.number, "step": panel.step_id, "title": panel.title,
            "items": _json_items(view, panel.items), "caption_id": panel.caption.id if panel.caption else None,
            "caption_picked": panel.picked}


def _csv_row(view: SummaryView, item: ItemView, theme: Theme | None) -> tuple[object, ...]:
    return (
        item.section, item.step_key, item.phase or "", item.lane,
        theme.id if theme else "", theme.label if theme else "", item.text,
        "" if item.feeling is None else FEELING_NAMES[item.feeling], item.why or "", author_name(view, item),
        item.evidence, item.votes, _iso(item.created_at) or "",
        item.state or "", sum(evidence.verdict != FOUND for evidence in item.evidence_found), " ".join(item.sources),
    )


def _guard_formula(cell: object) -> object:
    if isinstance(cell, str) and (cell.startswith(_FORMULA_STARTS) or cell.lstrip().startswith(_FORMULA_STARTS)):
        return "'" + cell
    return cell


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
