"""The /journey slash command: acknowledge at once, then do the work and answer privately."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot import deletion, summaries, workshops
from bot.services import Services
from bot.slack_text import to_plain
from bot.workshops import Conflict, Refusal
from flows.commands import Command, CommandError, parse_command
from renderers.mrkdwn import escape
from renderers.slack import Message, help_message, summary_message, text_message
from storage import repository as repo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caller:
    team_id: str
    channel_id: str
    user_id: str


Handler = Callable[[WebClient, Services, Caller, Command], Message]


def _lead_command(action: Callable[..., Message], *, active_only: bool = True) -> Handler:
    """Runs ``action`` only for a lead of the channel's active workshop (or latest one, if not ``active_only``)."""
    def handler(client: WebClient, services: Services, caller: Caller, command: Command) -> Message:
        lead = workshops.workshop_for_lead(services, team_id=caller.team_id, channel_id=caller.channel_id,
                                           user_id=caller.user_id, active_only=active_only)
        return action(client, services, lead, command)
    return handler


def _start(client, services, caller, command):
    return workshops.start(client, services, team_id=caller.team_id, channel_id=caller.channel_id,
                           user_id=caller.user_id, command=command)


def _status(client, services, caller, command):
    return summaries.status(client, services, team_id=caller.team_id, channel_id=caller.channel_id)


def _summary(client, services, caller, command):
    """Posted to the channel when a lead asks; otherwise shown only to the person asking."""
    workshop = summaries.channel_workshop(services, team_id=caller.team_id, channel_id=caller.channel_id,
                                          active_only=False)
    message = summary_message(summaries.workshop_summary(client, services, workshop))
    with services.unit() as session:
        is_lead = caller.user_id in repo.lead_ids(session, workshop_id=workshop.id)
    if not is_lead:
        return message
    client.chat_postMessage(channel=workshop.channel_id, text=message.text, blocks=message.blocks)
    return text_message(services.pack(workshop.lang).text("messages.summary_posted"))


HANDLERS: dict[str, Handler] = {
    "start": _start,
    "phases": _lead_command(lambda client, services, lead, command:
                            workshops.settle_phases(client, services, lead, command.argument)),
    "next": _lead_command(lambda client, services, lead, command: workshops.move(client, services, lead, forward=True)),
    "back": _lead_command(lambda client, services, lead, command: workshops.move(client, services, lead, forward=False)),
    "close": _lead_command(lambda client, services, lead, command: workshops.close(client, services, lead)),
    "delete": _lead_command(lambda client, services, lead, command: deletion.ask(lead), active_only=False),
    "status": _status,
    "summary": _summary,
    "help": lambda client, services, caller, command: help_message(services.pack()),
}


def run_command(client: WebClient, services: Services, body: dict) -> Message:
    caller = Caller(team_id=body["team_id"], channel_id=body["channel_id"], user_id=body["user_id"])
    pack = services.pack()
    try:
        command = parse_command(to_plain(body.get("text") or ""))
    except CommandError as error:
        # the values quote what the person typed
        return help_message(pack, lead_in=pack.text(error.key, **{k: escape(str(v)) for k, v in error.values.items()}))
    try:
        return HANDLERS[command.name](client, services, caller, command)
    except Refusal as refusal:
        return refusal.message
    except Conflict:
        return text_message(pack.text("messages.conflict"))
    except SQLAlchemyError:
        log.exception("database error in /journey %s", command.name)
        return text_message(pack.text("messages.database_down"))
    except SlackApiError as error:
        log.warning("Slack refused a call in /journey %s: %s", command.name, error.response.get("error"))
        return text_message(pack.text("messages.slack_failed"))


def register(app: App, services: Services) -> None:
    @app.command("/journey")
    def journey(ack, body, client, respond):
        ack()
        answer = run_command(client, services, body)
        respond(text=answer.text, blocks=answer.blocks, response_type="ephemeral")
