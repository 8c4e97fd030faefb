"""A lead picks the answer that captions a storyboard panel, from the menu beside the panel: in the summary
(in the channel, or the Home tab's summary modal of a past workshop) or in the Home tab's Storyboard captions
modal. The first option clears the pick, and the most voted answer captions the panel again. Everyone else is
told, privately, that only the leads can.

The pick is a caption_pick row per panel; every later summary, storyboard picture, canvas and export
reads it (flows.summary.panel_caption), and falls back to the most voted when the answer is deleted.
"""
from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient

from bot.usecases import reporting, workshops
from bot.wiring.context import AppContext
from flows.summary import panel_caption
from renderers.mrkdwn import clip, escape
from renderers.slack import AUTO_CAPTION, Message, text_message
from storage import canvases as canvas_store
from storage import repository as repo
from storage.models import Workshop

MAX_CAPTION_QUOTE = 300  # of the caption, in the private answer


@dataclass(frozen=True)
class Picked:
    """What the lead is told, and the workshop whose canvas is now behind."""

    message: Message
    workshop: Workshop


def pick(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, workshop_id: str, step_key: str,
         value: str) -> Picked:
    """Stores a lead's pick for the panel of ``step_key``: ``value`` is an answer's id, or AUTO_CAPTION to
    clear it. Raises Refusal (nothing stored) for anyone but a lead, or an answer no longer in the panel."""
    if not workshop_id.isdigit():
        raise workshops.refuse(ctx.pack(), "messages.not_this_workshop")
    lead = workshops.workshop_for_lead(ctx, team_id=team_id, user_id=user_id, workshop_id=int(workshop_id),
                                       active_only=False)
    pack, workshop = lead.pack, lead.workshop
    panel = next((panel for panel in reporting.workshop_summary(client, ctx, workshop).storyboard
                  if panel.key == step_key), None)
    if panel is None:
        raise workshops.refuse(pack, "captions.no_panel")
    title = escape(panel.title)
    chosen = None if value == AUTO_CAPTION else next((item for item in panel.items if str(item.id) == value), None)
    if chosen is None and value != AUTO_CAPTION:
        raise workshops.refuse(pack, "captions.gone", panel=title)
    with ctx.unit() as session:
        repo.pick_caption(session, workshop_id=workshop.id, step_key=step_key, item_id=chosen and chosen.id,
                          user_id=user_id)
        canvas_store.mark_stale(session, workshop_id=workshop.id)  # the canvas lists the captions
    caption = chosen or panel_caption(panel.items, None)
    if caption is None:
        return Picked(text_message(pack.text("captions.cleared_empty", panel=title)), workshop)
    quoted = f"“{escape(clip(' '.join(caption.text.split()), MAX_CAPTION_QUOTE))}”"
    key = "captions.saved" if chosen else "captions.cleared"
    return Picked(text_message(pack.text(key, panel=title, caption=quoted)), workshop)
