"""The Web API methods the stand-in implements: Slack's parameters in, Slack's response shapes out.

Each method takes the workspace state and the `ApiCall` and returns the response body without "ok";
refusals raise `SlackError`. `METHODS` maps Slack's method names to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from bot.standin.state import SlackError, SlackState

DEFAULT_PAGE_SIZE = 100
PLACE_KEYS = {"ts", "thread_ts", "parent_user_id", "reply_count", "reply_users", "reply_users_count", "latest_reply",
              "is_locked", "reactions", "subtype", "root"}


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    token: str | None = None
    basic_auth: tuple[str, str] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        value = self.params.get(key)
        return default if value in (None, "") else value

    def require(self, key: str) -> Any:
        value = self.get(key)
        if value is None:
            raise SlackError("invalid_arguments")
        return value

    def flag(self, key: str) -> bool:
        return str(self.params.get(key, "")).lower() in ("1", "true")

    def number(self, key: str, default: int | None = None) -> int | None:
        value = self.get(key)
        try:
            return default if value is None else int(float(value))
        except ValueError:
            raise SlackError("invalid_arguments") from None


def _author(state: SlackState, call: ApiCall) -> dict:
    user_id = state.user_tokens.get(call.token)
    return {"user": user_id} if user_id else state.bot_author()


def _caller(state: SlackState, call: ApiCall) -> str:
    return state.identity(call.token)["user_id"]


def _content(call: ApiCall) -> dict:
    return {"text": call.get("text", ""), "blocks": call.get("blocks")}


def _page(items: list, call: ApiCall) -> tuple[list, dict]:
    """Cursor pagination like Slack's: the cursor is opaque to callers; here it is the next offset."""
    start = call.number("cursor", 0)
    end = start + (call.number("limit") or DEFAULT_PAGE_SIZE)
    return items[start:end], {"next_cursor": str(end) if end < len(items) else ""}


# ---- chat ----------------------------------------------------------------------------------------------


def chat_post_message(state: SlackState, call: ApiCall) -> dict:
    channel = state.channel(call.require("channel")).id  # a user id means the DM with that user
    message = state.post(channel, _author(state, call), **_content(call),
                         thread_ts=call.get("thread_ts"), broadcast=call.flag("reply_broadcast"))
    return {"channel": channel, "ts": message["ts"], "message": message}


def chat_update(state: SlackState, call: ApiCall) -> dict:
    _, message = state.update(call.require("channel"), call.require("ts"), _caller(state, call),
                              text=call.get("text"), blocks=call.get("blocks"))
    # Slack echoes the edited content only, without the message's place (ts, thread) or its reactions
    content = {key: value for key, value in message.items() if key not in PLACE_KEYS}
    return {"channel": call.require("channel"), "ts": message["ts"], "text": message["text"], "message": content}


def chat_delete(state: SlackState, call: ApiCall) -> dict:
    message = state.delete(call.require("channel"), call.require("ts"), _caller(state, call))
    return {"channel": call.require("channel"), "ts": message["ts"]}


def chat_post_ephemeral(state: SlackState, call: ApiCall) -> dict:
    ephemeral = state.post_ephemeral(call.require("channel"), call.require("user"), **_content(call),
                                     thread_ts=call.get("thread_ts"))
    return {"message_ts": ephemeral["ts"]}


def chat_schedule_message(state: SlackState, call: ApiCall) -> dict:
    scheduled = state.schedule(call.require("channel"), call.number("post_at"), **_content(call),
                               thread_ts=call.get("thread_ts"))
    message = {"type": "message", "text": scheduled["text"], "blocks": scheduled["blocks"], **state.bot_author()}
    return {"scheduled_message_id": scheduled["id"], "channel": scheduled["channel_id"],
            "post_at": scheduled["post_at"], "message": message}


def chat_delete_scheduled_message(state: SlackState, call: ApiCall) -> dict:
    state.unschedule(call.require("channel"), call.require("scheduled_message_id"))
    return {}


def chat_scheduled_messages_list(state: SlackState, call: ApiCall) -> dict:
    listed = [{key: s[key] for key in ("id", "channel_id", "post_at", "date_created", "text")}
              for s in state.scheduled.values() if call.get("channel") in (None, s["channel_id"])]
    page, metadata = _page(listed, call)
    return {"scheduled_messages": page, "response_metadata": metadata}


def chat_get_permalink(state: SlackState, call: ApiCall) -> dict:
    return {"channel": call.require("channel"),
            "permalink": state.permalink(call.require("channel"), call.require("message_ts"))}


# ---- reactions -----------------------------------------------------------------------------------


def reactions_add(state: SlackState, call: ApiCall) -> dict:
    state.react(call.require("channel"), call.require("timestamp"), _caller(state, call), call.require("name"))
    return {}


def reactions_remove(state: SlackState, call: ApiCall) -> dict:
    state.unreact(call.require("channel"), call.require("timestamp"), _caller(state, call), call.require("name"))
    return {}


# ---- views ------------------------------------------------------------------------------------------


def views_open(state: SlackState, call: ApiCall) -> dict:
    return {"view": state.open_view(call.get("trigger_id"), call.require("view"))}


def views_push(state: SlackState, call: ApiCall) -> dict:
    return {"view": state.push_view(call.get("trigger_id"), call.require("view"))}


def views_update(state: SlackState, call: ApiCall) -> dict:
    return {"view": state.update_view(call.require("view"), view_id=call.get("view_id"),
                                      external_id=call.get("external_id"), hash=call.get("hash"))}


def views_publish(state: SlackState, call: ApiCall) -> dict:
    return {"view": state.publish_home(call.require("user_id"), call.require("view"))}


# ---- users, conversations, auth --------------------------------------------------------------------


def users_info(state: SlackState, call: ApiCall) -> dict:
    return {"user": state.user(call.require("user"))}


def conversations_info(state: SlackState, call: ApiCall) -> dict:
    channel = state.channel(call.require("channel"))
    info = {"id": channel.id, "name": channel.name, "created": channel.created, "is_channel": not channel.is_im,
            "is_group": False, "is_im": channel.is_im, "is_mpim": False, "is_private": channel.is_im,
            "is_archived": False, "is_general": False, "is_member": True, "name_normalized": channel.name,
            "num_members": len(channel.members), "topic": {"value": ""}, "purpose": {"value": ""}}
    if channel.is_im:
        info["user"] = channel.im_user
    if channel.canvas_id:
        info["properties"] = {"canvas": {"file_id": channel.canvas_id, "is_empty": False}}
    return {"channel": info}


def conversations_join(state: SlackState, call: ApiCall) -> dict:
    """The bot joins a public channel (it is a member of every channel here, so this only answers)."""
    channel = state.channel(call.require("channel"))
    if channel.is_im:
        raise SlackError("method_not_supported_for_channel_type")
    return {"channel": conversations_info(state, call)["channel"]}


def conversations_members(state: SlackState, call: ApiCall) -> dict:
    page, metadata = _page(state.channel(call.require("channel")).members, call)
    return {"members": page, "response_metadata": metadata}


def conversations_history(state: SlackState, call: ApiCall) -> dict:
    oldest, latest = float(call.get("oldest", 0)), float(call.get("latest", "inf"))
    newest_first = [m for m in reversed(state.top_level(call.require("channel")))
                    if oldest < float(m["ts"]) < latest]
    page, metadata = _page(newest_first, call)
    return {"messages": page, "has_more": bool(metadata["next_cursor"]), "response_metadata": metadata}


def conversations_replies(state: SlackState, call: ApiCall) -> dict:
    page, metadata = _page(state.thread(call.require("channel"), call.require("ts")), call)
    return {"messages": page, "has_more": bool(metadata["next_cursor"]), "response_metadata": metadata}


def auth_test(state: SlackState, call: ApiCall) -> dict:
    return state.identity(call.token)


def apps_connections_open(state: SlackState, call: ApiCall) -> dict:
    """A one-time Socket Mode URL; only the app-level token (xapp-) may ask for it."""
    if not (call.token or "").startswith("xapp-"):
        raise SlackError("not_allowed_token_type")
    return {"url": state.open_socket_ticket()}


def oauth_v2_access(state: SlackState, call: ApiCall) -> dict:
    client_id, client_secret = call.basic_auth or (call.get("client_id"), call.get("client_secret"))
    return state.exchange_oauth_code(call.get("code"), client_id, client_secret)


# ---- files -----------------------------------------------------------------------------------------


def files_get_upload_url_external(state: SlackState, call: ApiCall) -> dict:
    return state.start_upload(call.require("filename"), call.number("length", 0))


def files_complete_upload_external(state: SlackState, call: ApiCall) -> dict:
    records = state.complete_upload(call.require("files"), channel_id=call.get("channel_id"),
                                    thread_ts=call.get("thread_ts"), initial_comment=call.get("initial_comment"))
    return {"files": records}


# ---- canvases ----------------------------------------------------------------------------------------


def _id_list(value: Any) -> list[str]:
    """`channel_ids`/`user_ids`: a JSON array, or the comma-separated string slack_sdk sends."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return value
    raise SlackError("invalid_arguments")


def conversations_canvases_create(state: SlackState, call: ApiCall) -> dict:
    canvas = state.create_canvas(_caller(state, call), title=call.get("title"), content=call.get("document_content"),
                                 channel_tab=call.require("channel_id"), as_channel_canvas=True)
    return {"canvas_id": canvas.id}


def canvases_create(state: SlackState, call: ApiCall) -> dict:
    canvas = state.create_canvas(_caller(state, call), title=call.get("title"), content=call.get("document_content"),
                                 channel_tab=call.get("channel_id"))
    return {"canvas_id": canvas.id}


def canvases_edit(state: SlackState, call: ApiCall) -> dict:
    state.edit_canvas(call.require("canvas_id"), call.require("changes"))
    return {}


def canvases_delete(state: SlackState, call: ApiCall) -> dict:
    state.delete_canvas(call.require("canvas_id"))
    return {}


def canvases_access_set(state: SlackState, call: ApiCall) -> dict:
    state.set_canvas_access(call.require("canvas_id"), call.require("access_level"),
                            channel_ids=_id_list(call.get("channel_ids")), user_ids=_id_list(call.get("user_ids")))
    return {}


def canvases_sections_lookup(state: SlackState, call: ApiCall) -> dict:
    return {"sections": state.lookup_sections(call.require("canvas_id"), call.require("criteria"))}


METHODS: dict[str, Callable[[SlackState, ApiCall], dict]] = {
    "apps.connections.open": apps_connections_open,
    "canvases.access.set": canvases_access_set,
    "canvases.create": canvases_create,
    "canvases.delete": canvases_delete,
    "canvases.edit": canvases_edit,
    "canvases.sections.lookup": canvases_sections_lookup,
    "auth.test": auth_test,
    "chat.delete": chat_delete,
    "chat.deleteScheduledMessage": chat_delete_scheduled_message,
    "chat.getPermalink": chat_get_permalink,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.postMessage": chat_post_message,
    "chat.scheduleMessage": chat_schedule_message,
    "chat.scheduledMessages.list": chat_scheduled_messages_list,
    "chat.update": chat_update,
    "conversations.canvases.create": conversations_canvases_create,
    "conversations.history": conversations_history,
    "conversations.info": conversations_info,
    "conversations.join": conversations_join,
    "conversations.members": conversations_members,
    "conversations.replies": conversations_replies,
    "files.completeUploadExternal": files_complete_upload_external,
    "files.getUploadURLExternal": files_get_upload_url_external,
    "oauth.v2.access": oauth_v2_access,
    "reactions.add": reactions_add,
    "reactions.remove": reactions_remove,
    "users.info": users_info,
    "views.open": views_open,
    "views.publish": views_publish,
    "views.push": views_push,
    "views.update": views_update,
}

# oauth.v2.access authenticates the app with its client id and secret, not with a token
TOKENLESS_METHODS = {"oauth.v2.access"}
