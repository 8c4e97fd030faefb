"""Events API: thread replies become answers; editing or deleting one's reply edits or removes it;
uninstalling the app deletes the workspace's workshops (see bot/uninstall.py)."""
from __future__ import annotations

from slack_bolt import App

from bot import answers, uninstall
from bot.answers import Reply
from bot.services import Services
from bot.slack_text import to_plain

# Subtypes of a message a person wrote (others are joins, bot posts, topic changes, …).
PERSON_MESSAGE_SUBTYPES = {None, "thread_broadcast", "file_share"}


def _reply(team_id: str, channel_id: str, message: dict) -> Reply | None:
    """A person's reply in a thread, or None for top-level and bot messages."""
    thread_ts, ts = message.get("thread_ts"), message.get("ts")
    if message.get("bot_id") or not message.get("user") or not thread_ts or thread_ts == ts:
        return None
    return Reply(team_id=team_id, channel_id=channel_id, user_id=message["user"], ts=ts, thread_ts=thread_ts,
                 text=to_plain(message.get("text") or ""))


def register(app: App, services: Services) -> None:
    @app.event("message")
    def on_message(body, event, client):
        team_id, channel_id, subtype = body.get("team_id"), event.get("channel"), event.get("subtype")
        if subtype == "message_changed":
            message = {**event.get("previous_message", {}), **event.get("message", {})}
            reply = _reply(team_id, channel_id, message)
            if reply:
                answers.on_reply_edited(client, services, reply)
        elif subtype == "message_deleted":
            ts = event.get("deleted_ts") or event.get("previous_message", {}).get("ts")
            if ts:
                answers.on_reply_deleted(services, team_id=team_id, channel_id=channel_id, ts=ts)
        elif subtype in PERSON_MESSAGE_SUBTYPES:
            reply = _reply(team_id, channel_id, event)
            if reply:
                answers.on_thread_reply(client, services, reply)

    @app.event("app_uninstalled")
    def on_uninstalled(body):
        uninstall.forget_workspace(services, team_id=body["team_id"])

    @app.event("tokens_revoked")
    def on_tokens_revoked():
        """Acknowledged so Slack does not retry; workshops stay (see bot/uninstall.py)."""
