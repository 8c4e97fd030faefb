"""Co-leads: a lead adds people who then have the same controls over the workshop."""
from __future__ import annotations

from collections.abc import Sequence

from slack_sdk import WebClient

from bot.usecases.people import known_people
from bot.wiring.context import AppContext
from bot.usecases.workshops import LeadView, refuse
from renderers.mrkdwn import escape
from renderers.slack import Message, text_message
from storage import repository as repo


def add_co_leads(client: WebClient, ctx: AppContext, lead: LeadView, mentioned: Sequence[str]) -> Message:
    """`/journey lead @name …`: the people mentioned lead too, and the channel is told who they are.

    Mentions arrive as `<@U…|name>` because the manifest asks Slack to escape the command's text;
    a plain `@name` cannot be told apart from a name someone merely typed, so it is refused.
    """
    workshop, pack = lead.workshop, lead.pack
    if not mentioned:
        raise refuse(pack, "leads.who")
    people = known_people(client, ctx, team_id=workshop.team_id, user_ids=mentioned)
    with ctx.unit() as session:
        leads = repo.lead_ids(session, workshop_id=workshop.id)
    title = escape(workshop.title)
    for user_id in mentioned:
        if user_id not in people or people[user_id].is_bot:
            raise refuse(pack, "leads.not_a_person", user=user_id)
        if user_id in leads:
            raise refuse(pack, "leads.already", user=user_id, title=title)
    with ctx.unit() as session:
        for user_id in mentioned:
            repo.add_lead(session, workshop_id=workshop.id, user_id=user_id)
    for user_id in mentioned:
        client.chat_postMessage(channel=workshop.channel_id,
                                text=pack.text("leads.added", user=user_id, title=title, lead=lead.user_id))
    return text_message("\n".join(pack.text("leads.added_private", user=user_id, title=title) for user_id in mentioned))
