"""What a lead does with the themes from the summary (in the channel, or in the Home tab's summary modal).

Edit themes: rename a theme, merge it into another of its lane, or move a note. A first modal picks
the theme and what to do, a second asks the details. A correction is stored as a theme_edit row
naming notes, and every later summary replays it over the automatic grouping.

Add drafts to the vote: the "How might we" drafts drawn from the themes become team questions,
which the vote includes (until then it does not).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.usecases import reporting, votes, workshops
from bot.usecases.workshops import LeadView, Refusal
from bot.wiring.context import AppContext
from flows.summary import SummaryView, Theme
from flows.vocabulary import AnswerSource, ThemeAction
from renderers.mrkdwn import clip, escape
from renderers.slack import (
    MAX_THEME_LABEL,
    THEME_ACTIONS,
    drafts_modal,
    notice_modal,
    themes_edit_modal,
    themes_pick_modal,
)
from storage import repository as repo


@dataclass(frozen=True)
class Step:
    """What a submission gets back: errors to show in the modal, or the view that replaces it."""

    errors: dict[str, str] | None = None
    view: dict | None = None


def open_editor(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, workshop_id: int,
                trigger_id: str, over_modal: bool) -> None:
    """Opens the theme picker for a lead of the workshop (pushed over the summary modal when clicked there).

    Raises Refusal for anyone else."""
    lead, view = _lead_and_view(client, ctx, team_id=team_id, user_id=user_id, workshop_id=workshop_id)
    if next(iter(view.all_themes()), None):
        modal = themes_pick_modal(lead.pack, view)
    else:
        modal = notice_modal(lead.pack, lead.pack.text("themes.none"))
    (client.views_push if over_modal else client.views_open)(trigger_id=trigger_id, view=modal)


def choose(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, workshop_id: int,
           theme_id: str, action: str) -> Step:
    """The first modal's choice: the details modal for it, or why not."""
    try:
        lead, view = _lead_and_view(client, ctx, team_id=team_id, user_id=user_id, workshop_id=workshop_id)
    except Refusal as refusal:
        return Step(errors={"theme": refusal.message.text})
    theme = _find(view, theme_id)
    if theme is None or action not in THEME_ACTIONS:
        return Step(errors={"theme": lead.pack.text("themes.gone")})
    mates = _mates(view, theme)
    if action == ThemeAction.MERGE and not mates:
        return Step(errors={"theme": lead.pack.text("themes.alone")})
    if action == ThemeAction.MOVE and theme.count == 1:
        return Step(errors={"theme": lead.pack.text("themes.single_note")})
    return Step(view=themes_edit_modal(lead.pack, view, theme, action, mates))


def save(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, workshop_id: int, theme_id: str,
         action: str, values: dict[str, str | None]) -> Step:
    """Stores the correction and says what it did; a theme that changed meanwhile stores nothing."""
    first_input = {ThemeAction.RENAME: "label", ThemeAction.MERGE: "target", ThemeAction.MOVE: "note"}.get(
        action, "label")
    try:
        lead, view = _lead_and_view(client, ctx, team_id=team_id, user_id=user_id, workshop_id=workshop_id)
    except Refusal as refusal:
        return Step(errors={first_input: refusal.message.text})
    pack = lead.pack
    theme = _find(view, theme_id)
    if theme is None or action not in THEME_ACTIONS:
        return Step(errors={first_input: pack.text("themes.gone")})
    anchor = min(theme.note_ids)  # edits name notes, so they survive new notes regrouping the lane
    if action == ThemeAction.RENAME:
        label = " ".join((values.get("label") or "").split())
        if not label:
            return Step(errors={"label": pack.text("themes.label_missing")})
        if len(label) > MAX_THEME_LABEL:
            return Step(errors={"label": pack.text("themes.label_too_long", limit=MAX_THEME_LABEL, length=len(label))})
        _store(ctx, lead, ThemeAction.RENAME, anchor, None, label)
        return _done(pack, pack.text("themes.saved_rename", label=escape(label)))
    mates = {mate.id: mate for mate in _mates(view, theme)}
    target = mates.get(values.get("target") or "")
    if action == ThemeAction.MERGE:
        if target is None:
            return Step(errors={"target": pack.text("themes.gone")})
        _store(ctx, lead, ThemeAction.MERGE, anchor, min(target.note_ids), None)
        return _done(pack, pack.text("themes.saved_merge", label=escape(theme.label), target=escape(target.label)))
    note = next((note for note in theme.notes if str(note.id) == values.get("note")), None)
    if note is None or (target is None and values.get("target") != "new"):
        return Step(errors={"note": pack.text("themes.gone")})
    _store(ctx, lead, ThemeAction.MOVE, note.id, min(target.note_ids) if target else None, None)
    return _done(pack, pack.text("themes.saved_move", note=escape(clip(note.text, 80)),
                                 target=escape(target.label if target else pack.text("themes.own_theme"))))


def open_drafts(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, workshop_id: int,
                trigger_id: str, over_modal: bool) -> None:
    """Opens the lead's choice of drafts for the vote. Raises Refusal for anyone else."""
    lead, view = _lead_and_view(client, ctx, team_id=team_id, user_id=user_id, workshop_id=workshop_id)
    pack = lead.pack
    if lead.workshop.status != "active":
        modal = notice_modal(pack, pack.text("themes.drafts_closed"))
    elif not any(item.draft for item in view.hmw):
        modal = notice_modal(pack, pack.text("themes.drafts_none"))
    else:
        modal = drafts_modal(pack, view)
    (client.views_push if over_modal else client.views_open)(trigger_id=trigger_id, view=modal)


def add_drafts(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, workshop_id: int,
               chosen: list[str]) -> Step:
    """The chosen drafts become the lead's questions; choosing one twice (or a double submit) adds it once."""
    try:
        lead, view = _lead_and_view(client, ctx, team_id=team_id, user_id=user_id, workshop_id=workshop_id)
    except Refusal as refusal:
        return Step(errors={"drafts": refusal.message.text})
    pack = lead.pack
    if lead.workshop.status != "active":
        return Step(errors={"drafts": pack.text("themes.drafts_closed")})
    drafts = [item for item in view.hmw if item.draft and str(item.id) in chosen]
    if not drafts:
        return Step(errors={"drafts": pack.text("themes.drafts_none")})
    with ctx.unit() as session:
        for item in drafts:
            digest = hashlib.sha256(item.text.encode()).hexdigest()[:32]
            repo.add_item(session, workshop_id=lead.workshop.id, step_key=votes.HMW_STEP, phase=None,
                          lane=votes.HMW_LANE, text=item.text, author_id=user_id, source=AnswerSource.MODAL,
                          dedupe_key=f"draft:{lead.workshop.id}:{digest}")
    votes.refresh_board(client, ctx, lead.workshop)
    return _done(pack, pack.plural("themes.drafts_added", len(drafts)))


def _lead_and_view(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str,
                   workshop_id: int) -> tuple[LeadView, SummaryView]:
    lead = workshops.workshop_for_lead(ctx, team_id=team_id, user_id=user_id, workshop_id=workshop_id,
                                       active_only=False)
    return lead, reporting.workshop_summary(client, ctx, lead.workshop)


def _find(view: SummaryView, theme_id: str) -> Theme | None:
    return next((theme for theme in view.all_themes() if theme.id == theme_id), None)


def _mates(view: SummaryView, theme: Theme) -> list[Theme]:
    """The other themes of the same phase and lane: the only ones a theme can merge with."""
    return [other for other in view.all_themes()
            if (other.phase, other.lane) == (theme.phase, theme.lane) and other.id != theme.id]


def _store(ctx: AppContext, lead: LeadView, action: ThemeAction, item_id: int, target_item_id: int | None,
           label: str | None) -> None:
    with ctx.unit() as session:
        repo.add_theme_edit(session, workshop_id=lead.workshop.id, action=action, item_id=item_id,
                            target_item_id=target_item_id, label=label, user_id=lead.user_id)


def _done(pack, mrkdwn: str) -> Step:
    return Step(view=notice_modal(pack, mrkdwn))
