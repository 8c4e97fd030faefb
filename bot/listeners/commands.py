"""The /journey slash command: acknowledge at once, then do the work and answer privately."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.usecases import canvases, deletion, exports, leads, reminders, reporting, research, steps, votes, workshops
from bot.wiring.context import AppContext
from bot.listeners.common import acknowledge, mentioned_users, to_plain
from bot.usecases.steps import Conflict
from bot.usecases.workshops import Refusal
from flows.commands import Command, CommandError, parse_command
from flows.texts import Pack
from renderers.mrkdwn import clip, escape
from renderers.slack import Message, help_message, summary_message, text_message
from storage import canvases as canvas_store
from storage import repository as repo
from storage.models import Workshop

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caller:
    team_id: str
    channel_id: str
    user_id: str
    mentioned: tuple[str, ...] = ()  # people @-mentioned in the command's text
    lang: str | None = None  # the language of the channel's workshop; None: the workspace default


# What a handler answers privately; None when what it did in the channel says it all.
Handler = Callable[[WebClient, AppContext, Caller, Command], Message | None]


def _lead_of(ctx: AppContext, caller: Caller, *, active_only: bool = True) -> workshops.LeadView:
    """The channel's active workshop (or its latest, if not ``active_only``), if the caller leads it."""
    return workshops.workshop_for_lead(ctx, team_id=caller.team_id, channel_id=caller.channel_id,
                                       user_id=caller.user_id, active_only=active_only)


def _lead_command(action: Callable[..., Message]) -> Handler:
    """Runs ``action`` only for a lead of the channel's active workshop."""
    def handler(client: WebClient, ctx: AppContext, caller: Caller, command: Command) -> Message:
        return action(client, ctx, _lead_of(ctx, caller), command)
    return handler


def _co_lead(client, ctx, caller, command):
    return leads.add_co_leads(client, ctx, _lead_of(ctx, caller), caller.mentioned)


def _hmw(client, ctx, caller, command):
    """`/journey hmw` (lead) posts the vote; `/journey hmw add <question>` is open to everyone."""
    first, _, question = command.argument.partition(" ")
    if first.lower() == votes.ADD:
        return votes.add_question(client, ctx, team_id=caller.team_id, channel_id=caller.channel_id,
                                  user_id=caller.user_id, text=question)
    if command.argument:
        return text_message(ctx.pack(caller.lang).text("votes.usage"))
    return votes.post_board(client, ctx, _lead_of(ctx, caller))


def _start(client, ctx, caller, command):
    return workshops.start(client, ctx, team_id=caller.team_id, channel_id=caller.channel_id,
                           user_id=caller.user_id, command=command, channel_lang=caller.lang)


def _status(client, ctx, caller, command):
    return reporting.status(client, ctx, team_id=caller.team_id, channel_id=caller.channel_id)


def _latest_workshop(ctx: AppContext, caller: Caller) -> tuple[Workshop, bool]:
    """The channel's workshop (the latest, even if closed), and whether the caller leads it."""
    workshop = reporting.channel_workshop(ctx, team_id=caller.team_id, channel_id=caller.channel_id,
                                          active_only=False)
    with ctx.unit() as session:
        return workshop, caller.user_id in repo.lead_ids(session, workshop_id=workshop.id)


def _summary(client, ctx, caller, command):
    """Posted to the channel when a lead asks; otherwise shown only to the person asking.
    Either way the canvas catches up afterwards."""
    workshop, is_lead = _latest_workshop(ctx, caller)
    with ctx.unit() as session:
        canvas_store.mark_stale(session, workshop_id=workshop.id)
    if not is_lead:
        return summary_message(reporting.workshop_summary(client, ctx, workshop))
    reporting.publish_summary(client, ctx, workshop)
    return text_message(ctx.pack(workshop.lang).text("messages.summary_posted"))


def _export(client, ctx, caller, command):
    """Uploads one export of the channel's workshop to the channel; leads only."""
    workshop, is_lead = _latest_workshop(ctx, caller)
    pack = ctx.pack(workshop.lang)
    fmt = command.argument.lower().lstrip(".")
    formats = ", ".join(f"`{f}`" for f in exports.FORMATS)
    if not fmt:
        raise workshops.refuse(pack, "messages.export_formats", formats=formats)
    if fmt not in exports.FORMATS:
        raise workshops.refuse(pack, "export_refusals.unknown_format", format=escape(clip(fmt, 40)), formats=formats)
    if not is_lead:
        raise workshops.refuse(pack, "messages.only_lead_publishes")
    if fmt == "storyboard" and not exports.has_storyboard(workshop, ctx.catalog):
        raise workshops.refuse(pack, "export_refusals.no_storyboard")  # its picture could never fill
    exports.upload(client, ctx, workshop, reporting.workshop_summary(client, ctx, workshop), fmt)
    return text_message(pack.text("messages.export_posted", format=fmt))


@_lead_command
def _canvas(client, ctx, lead, command):
    return canvases.make_or_update(client, ctx, lead)


@_lead_command
def _phases(client, ctx, lead, command):
    return workshops.settle_phases(client, ctx, lead, command.argument)


@_lead_command
def _next(client, ctx, lead, command):
    return steps.move(client, ctx, lead, command, forward=True)


@_lead_command
def _research(client, ctx, lead, command):
    return research.open_round(client, ctx, lead)


@_lead_command
def _back(client, ctx, lead, command):
    return steps.move(client, ctx, lead, command, forward=False)


@_lead_command
def _due(client, ctx, lead, command):
    return reminders.set_deadline(client, ctx, lead, command.argument)


@_lead_command
def _remind(client, ctx, lead, command):
    """Nudges for the open step and, during a research round, the volunteers with open checks."""
    reminded = reminders.remind(client, ctx, lead)
    checks = research.remind_volunteers(client, ctx, lead)
    return text_message(f"{reminded.text}\n{checks}") if checks else reminded


@_lead_command
def _close(client, ctx, lead, command):
    return steps.close(client, ctx, lead)


def _delete(client, ctx, caller, command):
    """Asks the lead to confirm; a closed workshop can be deleted too."""
    return deletion.ask(ctx, _lead_of(ctx, caller, active_only=False))


def _help(client, ctx, caller, command):
    return help_message(ctx.pack(caller.lang))


HANDLERS: dict[str, Handler] = {
    "start": _start, "phases": _phases, "next": _next, "back": _back, "due": _due, "remind": _remind,
    "research": _research,
    "lead": _co_lead, "hmw": _hmw, "close": _close, "delete": _delete, "status": _status, "summary": _summary,
    "export": _export, "canvas": _canvas, "help": _help,
}


def _command_error(pack: Pack, error: CommandError) -> Message:
    """A mistyped subcommand gets the help; a wrong option, what is wrong and the valid values."""
    said = pack.text(error.key, **{k: escape(str(v)) for k, v in error.values.items()})  # the values quote the person
    if error.key == "messages.unknown_command":
        return help_message(pack, lead_in=said)
    return text_message(f"{said} {pack.text('options.see_help')}")


def run_command(client: WebClient, ctx: AppContext, body: dict) -> Message | None:
    text = body.get("text") or ""
    pack = ctx.pack()
    try:
        lang = workshops.channel_language(ctx, team_id=body["team_id"], channel_id=body["channel_id"])
    except SQLAlchemyError:
        log.exception("database error reading the channel's workshop")
        return text_message(pack.text("messages.database_down"))
    caller = Caller(team_id=body["team_id"], channel_id=body["channel_id"], user_id=body["user_id"],
                    mentioned=mentioned_users(text), lang=lang)
    pack = ctx.pack(lang)
    try:
        command = parse_command(to_plain(text), ctx.catalog)
    except CommandError as error:
        return _command_error(pack, error)
    try:
        return HANDLERS[command.name](client, ctx, caller, command)
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


def register(app: App, ctx: AppContext) -> None:
    def answer(body, client, respond):
        message = run_command(client, ctx, body)
        if message is not None:
            respond(text=message.text, blocks=message.blocks, response_type="ephemeral")
        # after the answer, so waiting out a canvas rate limit never keeps the person waiting
        canvases.catch_up(client, ctx, team_id=body["team_id"], channel_id=body["channel_id"])

    app.command("/journey")(ack=acknowledge, lazy=[answer])
