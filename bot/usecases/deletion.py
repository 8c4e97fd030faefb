"""Deleting a workshop for good: the lead asks, confirms with a button, and every row of it goes.

The confirm button carries only the workshop's id; a click is honoured only when that workshop
is in the clicker's workspace and channel and the clicker leads it, so a forged value deletes nothing.
"""
from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.usecases import canvases
from bot.usecases.workshops import LeadView
from bot.wiring.context import AppContext
from renderers.mrkdwn import escape
from renderers.slack import Message, delete_question, text_message
from storage import canvases as canvas_store
from storage import repository as repo

log = logging.getLogger(__name__)


def ask(ctx: AppContext, lead: LeadView) -> Message:
    with ctx.unit() as session:
        canvas = canvas_store.canvas_of(session, workshop_id=lead.workshop.id)
    return delete_question(lead.pack, workshop_id=lead.workshop.id, title=lead.workshop.title,
                           has_canvas=canvas is not None and canvas.canvas_id is not None)


def confirm(client: WebClient, ctx: AppContext, *, team_id: str, channel_id: str, user_id: str,
            workshop_id: int) -> Message:
    """Deletes the workshop if the caller leads it in this workspace and channel; says what happened."""
    with ctx.unit() as session:
        workshop = repo.workshop_in_team(session, workshop_id=workshop_id, team_id=team_id)
        if (workshop is None or workshop.channel_id != channel_id
                or user_id not in repo.lead_ids(session, workshop_id=workshop_id)):
            return text_message(ctx.pack().text("delete.gone"))
        items, _ = repo.answer_counts(session, workshop_id=workshop_id)
        canvas = canvas_store.canvas_of(session, workshop_id=workshop_id)
        repo.delete_workshop(session, workshop_id=workshop_id)
    pack, title = ctx.pack(workshop.lang), escape(workshop.title)
    canvas_error = canvases.delete(client, canvas)
    try:
        client.chat_postMessage(channel=channel_id, text=pack.text("delete.deleted_note", lead=f"<@{user_id}>",
                                                                   title=title))
    except SlackApiError as error:  # the data is gone either way; the lead is told below
        log.warning("could not announce the deletion of workshop %s: %s", workshop_id, error.response.get("error"))
    answer = pack.text("delete.deleted", title=title, answers=pack.count("answers", items))
    if canvas is not None and canvas.canvas_id is not None:
        answer += " " + (pack.text("canvas.deleted") if canvas_error is None else
                         pack.text("canvas.not_deleted", canvas_id=canvas.canvas_id, error=canvas_error))
    return text_message(answer)
