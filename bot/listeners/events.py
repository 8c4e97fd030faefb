"""Events API: thread replies become answers (or, on a research board, findings); editing or deleting one's
reply edits or removes it.

The answer is stored before Slack hears back (Bolt's ack step), so an answer Slack saw acknowledged
is never lost; reactions, questions and counts follow after, in the listener pool.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial

from slack_bolt import App
from slack_sdk import WebClient

from bot.usecases import answers, canvases, research
from bot.usecases.answers import Outcome, Reply
from bot.wiring.context import AppContext
from bot.listeners.common import mentioned_users, to_plain
from bot.usecases.reporting import display_names

# Subtypes of a message a person wrote (others are joins, bot posts, topic changes, …).
PERSON_MESSAGE_SUBTYPES = {None, "thread_broadcast", "file_share"}


NamesOf = Callable[[Sequence[str]], Mapping[str, str]]


def _reply(team_id: str, channel_id: str, message: dict, names_of: NamesOf) -> Reply | None:
    """A person's reply in a thread, or None for top-level and bot messages.

    Slack sends a mention in a message as a bare `<@U…>`; it is stored as the `@name` the person saw."""
    thread_ts, ts = message.get("thread_ts"), message.get("ts")
    if message.get("bot_id") or not message.get("user") or not thread_ts or thread_ts == ts:
        return None
    text = message.get("text") or ""
    mentioned = mentioned_users(text)
    return Reply(team_id=team_id, channel_id=channel_id, user_id=message["user"], ts=ts, thread_ts=thread_ts,
                 text=to_plain(text, names_of(mentioned) if mentioned else None))


def receive_message(ctx: AppContext, body: dict, event: dict, client: WebClient) -> Outcome | None:
    team_id, channel_id, subtype = body.get("team_id"), event.get("channel"), event.get("subtype")
    names_of = partial(_names, client, ctx, team_id)
    if subtype == "message_changed":
        reply = _reply(team_id, channel_id, {**event.get("previous_message", {}), **event.get("message", {})},
                       names_of)
        return answers.receive_edit(ctx, reply) if reply else None
    if subtype == "message_deleted":
        ts = event.get("deleted_ts") or event.get("previous_message", {}).get("ts")
        return answers.receive_deletion(ctx, team_id=team_id, channel_id=channel_id, ts=ts) if ts else None
    if subtype in PERSON_MESSAGE_SUBTYPES:
        reply = _reply(team_id, channel_id, event, names_of)
        if reply is None:
            return None
        # a reply to a prompt is an answer; to a research board, a finding
        return answers.receive_reply(ctx, reply) or research.receive_board_reply(ctx, reply)
    return None


def _names(client: WebClient, ctx: AppContext, team_id: str, user_ids: Sequence[str]) -> Mapping[str, str]:
    return display_names(client, ctx, team_id=team_id, user_ids=set(user_ids))


def register(app: App, ctx: AppContext) -> None:
    def store(body, event, client):
        outcome = receive_message(ctx, body, event, client)
        if not outcome:
            return
        ctx.after_ack(answers.follow_up, client, ctx, outcome)
        if event.get("subtype") in ("message_changed", "message_deleted") and outcome.workshop_id:
            # an edited or deleted assumption shows on its research board
            ctx.after_ack(partial(research.refresh_boards, workshop_id=outcome.workshop_id), client, ctx)
        if outcome.canvas_stale:  # a finding in a board's thread
            ctx.after_ack(partial(canvases.catch_up, team_id=outcome.reply.team_id,
                                  channel_id=outcome.reply.channel_id), client, ctx)

    app.event("message")(store)
