"""The /journey slash command: acknowledge at once, then do the work and answer privately."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot import deletion, exports, leads, reminders, summaries, votes, workshops
from bot.services import Services
from bot.slack_text import mentioned_users, to_plain
from bot.workshops import Conflict, Refusal
from flows.commands import Command, CommandError, parse_command
from renderers.mrkdwn import escape
from renderers.slack import Message, help_message, summary_message, text_message
from storage import repository as repo
from storage.models import Workshop

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caller:
    team_id: str
    channel_id: str
    user_id: str
    mentioned: tuple[str, ...] = ()  # people @-mentioned in the command's text


Handler = Callable[[WebClient, Services, Caller, Command], Message]


def _lead_of(services: Services, caller: Caller, *, active_only: bool = True) -> workshops.LeadView:
    """The channel's active workshop (or its latest, if not ``active_only``), if the caller leads it."""
    return workshops.workshop_for_lead(services, team_id=caller.team_id, channel_id=caller.channel_id,
                                       user_id=caller.user_id, active_only=active_only)


def _lead_command(action: Callable[..., Message]) -> Handler:
    """Runs ``action`` only for a lead of the channel's active workshop."""
    def handler(client: WebClient, services: Services, caller: Caller, command: Command) -> Message:
        return action(client, services, _lead_of(services, caller), command)
    return handler


def _co_lead(client, services, caller, command):
    return leads.add_co_leads(client, services, _lead_of(services, caller), caller.mentioned)


def _hmw(client, services, caller, command):
    """`/journey hmw` (lead) posts the vote; `/journey hmw add <question>` is open to everyone."""
    first, _, question = command.argument.partition(" ")
    if first.lower() == votes.ADD:
        return votes.add_question(client, services, team_id=caller.team_id, channel_id=caller.channel_id,
                                  user_id=caller.user_id, text=question)
    if command.argument:
        return text_message(services.pack().text("votes.usage"))
    return votes.post_board(client, services, _lead_of(services, caller))


def _start(client, services, caller, command):
    return workshops.start(client, services, team_id=caller.team_id, channel_id=caller.channel_id,
                           user_id=caller.user_id, command=command)


def _status(client, services, caller, command):
    return summaries.status(client, services, team_id=caller.team_id, channel_id=caller.channel_id)


def _latest_workshop(services: Services, caller: Caller) -> tuple[Workshop, bool]:
    """The channel's workshop (the latest, even if closed), and whether the caller leads it."""
    workshop = summaries.channel_workshop(services, team_id=caller.team_id, channel_id=caller.channel_id,
                                          active_only=False)
    with services.unit() as session:
        return workshop, caller.user_id in repo.lead_ids(session, workshop_id=workshop.id)


def _summary(client, services, caller, command):
    """Posted to the channel when a lead asks; otherwise shown only to the person asking."""
    workshop, is_lead = _latest_workshop(services, caller)
    if not is_lead:
        return summary_message(summaries.workshop_summary(client, services, workshop))
    summaries.publish_summary(client, services, workshop)
    return text_message(services.pack(workshop.lang).text("messages.summary_posted"))


def _export(client, services, caller, command):
    """Uploads one export of the channel's workshop to the channel; leads only."""
    workshop, is_lead = _latest_workshop(services, caller)
    pack = services.pack(workshop.lang)
    fmt = command.argument.lower().lstrip(".")
    if fmt not in exports.FORMATS:
        raise workshops.refuse(pack, "messages.export_formats", formats=", ".join(f"`{f}`" for f in exports.FORMATS))
    if not is_lead:
        raise workshops.refuse(pack, "messages.only_lead_publishes")
    exports.upload(client, services, workshop, summaries.workshop_summary(client, services, workshop), fmt)
    return text_message(pack.text("messages.export_posted", format=fmt))


@_lead_command
def _phases(client, services, lead, command):
    return workshops.settle_phases(client, services, lead, command.argument)


@_lead_command
def _next(client, services, lead, command):
    return reminders.move(client, services, lead, command, forward=True)


@_lead_command
def _back(client, services, lead, command):
    return reminders.move(client, services, lead, command, forward=False)


@_lead_command
def _due(client, services, lead, command):
    return reminders.set_deadline(client, services, lead, command.argument)


@_lead_command
def _remind(client, services, lead, command):
    return reminders.remind(client, services, lead)


@_lead_command
def _close(client, services, lead, command):
    return reminders.close(client, services, lead)


def _delete(client, services, caller, command):
    """Asks the lead to confirm; a closed workshop can be deleted too."""
    return deletion.ask(_lead_of(services, caller, active_only=False))


def _help(client, services, caller, command):
    return help_message(services.pack())


HANDLERS: dict[str, Handler] = {
    "start": _start, "phases": _phases, "next": _next, "back": _back, "due": _due, "remind": _remind,
    "lead": _co_lead, "hmw": _hmw, "close": _close, "delete": _delete, "status": _status, "summary": _summary,
    "export": _export, "help": _help,
}


def run_command(client: WebClient, services: Services, body: dict) -> Message:
    text = body.get("text") or ""
    caller = Caller(team_id=body["team_id"], channel_id=body["channel_id"], user_id=body["user_id"],
                    mentioned=mentioned_users(text))
    pack = services.pack()
    try:
        command = parse_command(to_plain(text), services.catalog)
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


def acknowledge(ack) -> None:
    """Slack hears back at once; the work runs after, in Bolt's lazy step."""
    ack()


def register(app: App, services: Services) -> None:
    def answer(body, client, respond):
        message = run_command(client, services, body)
        respond(text=message.text, blocks=message.blocks, response_type="ephemeral")

    app.command("/journey")(ack=acknowledge, lazy=[answer])
