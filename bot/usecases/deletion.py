"""Deleting a workshop for good: the lead asks, confirms with a button, and every row of it goes.

The confirm button carries only the workshop's id; a click is honoured only when that workshop
is in the clicker's workspace and channel and the clicker leads it, so a forged value deletes nothing.
"""
from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.wiring.context import AppContext
from bot.usecases.workshops import LeadView
from renderers.mrkdwn import escape
from renderers.slack import Message, delete_question, text_message
from storage import repository as repo

log = logging.getLogger(__name__)


def ask(lead: LeadView) -> Message:
    return delete_question(lead.pack, workshop_id=lead.workshop.id, title=lead.workshop.title)


def confirm(client: WebClient, ctx: AppContext, *, team_id: str, channel_id: str, user_id: str,
            workshop_id: int) -> Message:
    """Deletes the workshop if the caller leads it in this workspace and channel; says what happened."""
    with ctx.unit() as session:
        workshop = repo.workshop_in_team(session, workshop_id=workshop_id, team_id=team_id)
        if (workshop is None or workshop.channel_id != channel_id
                or user_id not in repo.lead_ids(session, workshop_id=workshop_id)):
            return text_message(ctx.pack().text("delete.gone"))
        items, _ = repo.answer_counts(session, workshop_id=workshop_id)
        repo.delete_workshop(session, workshop_id=workshop_id)
    pack, title = ctx.pack(workshop.lang), escape(workshop.title)
    try:
        client.chat_postMessage(channel=channel_id, text=pack.text("delete.deleted_note", lead=f"<@{user_id}>",
                                                                   title=title))
    except SlackApiError as error:  # the data is gone either way; the lead is told below
        log.warning("could not announce the deletion of workshop %s: %s", workshop_id, error.response.get("error"))
    return text_message(pack.text("delete.deleted", title=title, answers=pack.count("answers", items)))
