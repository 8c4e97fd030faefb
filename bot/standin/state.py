"""In-memory state of one Slack workspace: what the stand-in's Web API changes and tests inspect.

Every operation raises `SlackError` with Slack's own error code when Slack would refuse it,
so the Web API can answer `{"ok": false, "error": ...}` and local callers get an exception.
Callers hold `SlackState.lock`; the state itself does no locking.
"""

from __future__ import annotations

import copy
import itertools
import mimetypes
import re
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable
from zoneinfo import ZoneInfo

TRIGGER_TTL_SECONDS = 3.0
RESPONSE_URL_USES = 5
RESPONSE_URL_TTL_SECONDS = 30 * 60
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_TEXT_CHARS = 40_000
MAX_VIEW_STACK = 3  # views.open plus two views.push
MAX_SCHEDULE_AHEAD_SECONDS = 120 * 24 * 3600
INTERACTIVE_ELEMENT_KEYS = ("elements", "accessory", "element")
DEFAULT_CLOSE_BUTTON = {"type": "plain_text", "text": "Cancel", "emoji": True}  # what Slack gives a modal without one


class SlackError(Exception):
    """A Slack API error code such as "channel_not_found"."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


@dataclass
class Channel:
    id: str
    name: str
    members: list[str]
    created: int
    is_im: bool = False
    im_user: str | None = None
    canvas_id: str | None = None  # the channel's own canvas (its tab)
    # ts -> message, in posting order (ts strings grow, so this is also ts order)
    messages: dict[str, dict] = field(default_factory=dict)


@dataclass
class Canvas:
    """A canvas: its markdown kept as sections, each a heading with what follows it, as Slack addresses them."""

    id: str
    title: str
    sections: list[dict]  # {"id": "temp:C:…", "markdown": "…"}, in order
    owner: str
    tab_channel: str | None = None  # the channel whose tab shows it
    access: dict[str, str] = field(default_factory=dict)  # channel or user id → read | write | owner
    edits: int = 0

    @property
    def markdown(self) -> str:
        return "".join(section["markdown"] for section in self.sections)

    def section_index(self, section_id: str | None) -> int:
        for index, section in enumerate(self.sections):
            if section["id"] == section_id:
                return index
        raise SlackError("invalid_arguments")


@dataclass
class CanvasPlan:
    """What the workspace's plan and settings allow (a free team has no channel canvases)."""

    canvases: bool = True  # False: canvases are turned off for the team
    channel_canvases: bool = True  # False: the plan's tier cannot make channel canvases
    restricted: bool = False  # True: the bot may not make canvases (an admin's restriction)


@dataclass
class ResponseTarget:
    """Where a response_url (or a slash command's ack body) delivers to."""

    channel: str
    user: str
    message_ts: str | None = None
    is_ephemeral: bool = False
    created: float = 0.0
    uses: int = 0


class SlackState:
    def __init__(self, *, team_id: str, team_name: str, bot_user_id: str, bot_id: str, app_id: str,
                 clock: Callable[[], float] = time.time):
        self.lock = threading.RLock()
        self.team_id, self.team_name = team_id, team_name
        self.domain = team_name.lower().replace(" ", "-")
        self.bot_user_id, self.bot_id, self.app_id = bot_user_id, bot_id, app_id
        self.clock = clock
        self.root_url = ""  # set by the server once it knows its port
        self._counters: dict[str, itertools.count] = defaultdict(lambda: itertools.count(1))
        # Slack's view ids never repeat, and the bot keys modal answers on them; a database carried over from
        # an earlier run (the demo's, in the console) must not see this run's views as repeated submissions.
        self._view_prefix = f"V{secrets.token_hex(2).upper()}"
        self._last_ts = 0.0
        self.users: dict[str, dict] = {}
        self.channels: dict[str, Channel] = {}
        self.ephemerals: list[dict] = []
        self.scheduled: dict[str, dict] = {}
        self.views: dict[str, dict] = {}
        self.view_owner: dict[str, str] = {}
        self.view_stacks: dict[str, list[str]] = defaultdict(list)
        self.home_views: dict[str, str] = {}
        self.files: dict[str, dict] = {}
        self.file_bytes: dict[str, bytes] = {}
        self.pending_uploads: dict[str, dict] = {}
        self.triggers: dict[str, tuple[str, float]] = {}
        self.response_targets: dict[str, ResponseTarget] = {}
        self.oauth_codes: dict[str, dict] = {}
        self.canvases: dict[str, Canvas] = {}
        self.canvas_plan = CanvasPlan()
        self.user_tokens: dict[str, str] = {}
        self.socket_mode_url = ""  # set by a SocketModeServer: where apps.connections.open sends the app
        self.socket_tickets: set[str] = set()  # each URL apps.connections.open hands out connects once
        self.add_user(bot_user_id, "journeybot", is_bot=True)

    # ---- ids and clocks -------------------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._counters[prefix]):08X}"

    def new_ts(self) -> str:
        """A message ts like Slack's "1700000000.000100": unique and increasing across the workspace."""
        self._last_ts = max(round(self.clock(), 6), round(self._last_ts + 0.000001, 6))
        return f"{self._last_ts:.6f}"

    # ---- people and channels -----------------------------------------------------------------

    def add_user(self, user_id: str, name: str, real_name: str | None = None,
                 tz: str = "Europe/Amsterdam", *, is_bot: bool = False) -> dict:
        real_name = real_name or name
        offset = datetime.now(ZoneInfo(tz)).utcoffset()
        self.users[user_id] = {
            "id": user_id, "team_id": self.team_id, "name": name, "deleted": False,
            "real_name": real_name, "tz": tz, "tz_label": tz, "tz_offset": int(offset.total_seconds()),
            "profile": {"real_name": real_name, "display_name": name, "team": self.team_id},
            "is_admin": False, "is_owner": False, "is_bot": is_bot, "is_app_user": False,
            "updated": int(self.clock()),
        }
        return self.users[user_id]

    def user(self, user_id: str) -> dict:
        if user_id not in self.users:
            raise SlackError("user_not_found")
        return self.users[user_id]

    def add_channel(self, channel_id: str, name: str, members: list[str] = ()) -> Channel:
        members = [self.bot_user_id, *(m for m in members if m != self.bot_user_id)]
        self.channels[channel_id] = Channel(channel_id, name, members, int(self.clock()))
        return self.channels[channel_id]

    def channel(self, channel_id: str) -> Channel:
        """A channel by id; a user id opens (or finds) the bot's DM with that user, as chat.postMessage does."""
        if channel_id in self.users:
            return self._im_with(channel_id)
        if channel_id not in self.channels:
            raise SlackError("channel_not_found")
        return self.channels[channel_id]

    def _im_with(self, user_id: str) -> Channel:
        for channel in self.channels.values():
            if channel.im_user == user_id:
                return channel
        channel = self.add_channel(self.new_id("D"), user_id, [user_id])
        channel.is_im, channel.im_user = True, user_id
        return channel

    # ---- messages --------------------------------------------------------------------------

    def bot_author(self) -> dict:
        return {"user": self.bot_user_id, "bot_id": self.bot_id, "app_id": self.app_id,
                "bot_profile": {"id": self.bot_id, "name": "journeybot", "app_id": self.app_id,
                                "team_id": self.team_id, "user_id": self.bot_user_id, "deleted": False}}

    def post(self, channel_id: str, author: dict, *, text: str = "", blocks: list | None = None,
             thread_ts: str | None = None, broadcast: bool = False, **extra: Any) -> dict:
        channel = self.channel(channel_id)
        check_message(text, blocks, extra.get("files"))
        message = {"type": "message", "text": text, **author, "ts": self.new_ts(), "team": self.team_id,
                   "blocks": with_ids(blocks or [], self.new_id), **extra}
        if not thread_ts:
            channel.messages[message["ts"]] = message
            return message
        parent = self._parent(channel, thread_ts)
        message.update(thread_ts=parent["ts"], parent_user_id=parent.get("user"))
        channel.messages[message["ts"]] = message
        self._count_reply(parent, message)
        if broadcast:
            message.update(subtype="thread_broadcast", root=copy.deepcopy(parent))
        return message

    def _parent(self, channel: Channel, thread_ts: str) -> dict:
        parent = channel.messages.get(thread_ts)
        if parent is None:
            raise SlackError("thread_not_found")
        # a reply to a reply lands in the same thread, as in Slack
        return channel.messages.get(parent.get("thread_ts", thread_ts), parent)

    @staticmethod
    def _count_reply(parent: dict, reply: dict) -> None:
        """The thread's counts with one reply more, without reading the channel again (the benchmarks post
        thousands of replies to one prompt)."""
        _set_thread_counts(parent, parent.get("reply_count", 0) + 1,
                           [*parent.get("reply_users", []), reply.get("user")], reply["ts"])

    def _refresh_thread(self, channel: Channel, parent_ts: str) -> None:
        parent = channel.messages.get(parent_ts)
        if parent is None:
            return
        replies = self._replies(channel, parent_ts)
        _set_thread_counts(parent, len(replies), [r.get("user") for r in replies],
                           replies[-1]["ts"] if replies else parent_ts)

    @staticmethod
    def _replies(channel: Channel, parent_ts: str) -> list[dict]:
        return [m for m in channel.messages.values() if m.get("thread_ts") == parent_ts and m["ts"] != parent_ts]

    def message(self, channel_id: str, ts: str) -> dict:
        message = self.channel(channel_id).messages.get(ts)
        if message is None:
            raise SlackError("message_not_found")
        return message

    def top_level(self, channel_id: str) -> list[dict]:
        return [m for m in self.channel(channel_id).messages.values()
                if m.get("thread_ts") in (None, m["ts"]) or m.get("subtype") == "thread_broadcast"]

    def thread(self, channel_id: str, ts: str) -> list[dict]:
        channel = self.channel(channel_id)
        parent = channel.messages.get(ts)
        if parent is None:
            raise SlackError("thread_not_found")
        return [parent, *self._replies(channel, ts)]

    def update(self, channel_id: str, ts: str, editor: str, *, text: str | None = None,
               blocks: list | None = None) -> tuple[dict, dict]:
        """Edits a message; returns (previous, current)."""
        message = self.message(channel_id, ts)
        if message.get("user") != editor:
            raise SlackError("cant_update_message")
        previous = copy.deepcopy(message)
        if text is not None:
            message["text"] = text
        if blocks is not None:
            message["blocks"] = with_ids(blocks, self.new_id)
        message["edited"] = {"user": editor, "ts": self.new_ts()}
        return previous, message

    def delete(self, channel_id: str, ts: str, deleter: str) -> dict:
        message = self.message(channel_id, ts)
        if message.get("user") != deleter:
            raise SlackError("cant_delete_message")
        channel = self.channel(channel_id)
        del channel.messages[ts]
        if message.get("thread_ts") not in (None, ts):
            self._refresh_thread(channel, message["thread_ts"])
        return message

    def permalink(self, channel_id: str, ts: str) -> str:
        message = self.message(channel_id, ts)
        link = f"https://{self.domain}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"
        if message.get("thread_ts") not in (None, ts):
            link += f"?thread_ts={message['thread_ts']}&cid={channel_id}"
        return link

    # ---- reactions -------------------------------------------------------------------------

    def react(self, channel_id: str, ts: str, user: str, name: str) -> None:
        reactions = self.message(channel_id, ts).setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None:
            reaction = {"name": name, "users": [], "count": 0}
            reactions.append(reaction)
        if user in reaction["users"]:
            raise SlackError("already_reacted")
        reaction["users"].append(user)
        reaction["count"] = len(reaction["users"])

    def unreact(self, channel_id: str, ts: str, user: str, name: str) -> None:
        message = self.message(channel_id, ts)
        reaction = next((r for r in message.get("reactions", []) if r["name"] == name), None)
        if reaction is None or user not in reaction["users"]:
            raise SlackError("no_reaction")
        reaction["users"].remove(user)
        reaction["count"] = len(reaction["users"])
        message["reactions"] = [r for r in message["reactions"] if r["users"]]

    # ---- ephemeral and scheduled messages ----------------------------------------------------------

    def post_ephemeral(self, channel_id: str, user: str, *, text: str = "", blocks: list | None = None,
                       thread_ts: str | None = None) -> dict:
        channel = self.channel(channel_id)
        self.user(user)
        if user not in channel.members:
            raise SlackError("user_not_in_channel")
        check_message(text, blocks)
        ephemeral = {"type": "message", "channel": channel.id, "user": user, "ts": self.new_ts(), "text": text,
                     "blocks": with_ids(blocks or [], self.new_id), "thread_ts": thread_ts, "bot_id": self.bot_id}
        self.ephemerals.append(ephemeral)
        return ephemeral

    def ephemeral(self, user: str, ts: str) -> dict:
        for ephemeral in self.ephemerals:
            if ephemeral["user"] == user and ephemeral["ts"] == ts:
                return ephemeral
        raise SlackError("message_not_found")

    def schedule(self, channel_id: str, post_at: int, *, text: str = "", blocks: list | None = None,
                 thread_ts: str | None = None) -> dict:
        channel = self.channel(channel_id)
        now = self.clock()
        if post_at <= now:
            raise SlackError("time_in_past")
        if post_at > now + MAX_SCHEDULE_AHEAD_SECONDS:
            raise SlackError("time_too_far")
        check_message(text, blocks)
        scheduled = {"id": self.new_id("Q"), "channel_id": channel.id, "post_at": post_at,
                     "date_created": int(now), "text": text, "blocks": blocks or [], "thread_ts": thread_ts}
        self.scheduled[scheduled["id"]] = scheduled
        return scheduled

    def unschedule(self, channel_id: str, scheduled_id: str) -> None:
        scheduled = self.scheduled.get(scheduled_id)
        if scheduled is None or scheduled["channel_id"] != channel_id:
            raise SlackError("invalid_scheduled_message_id")
        del self.scheduled[scheduled_id]

    # ---- triggers and views ------------------------------------------------------------------

    def issue_trigger(self, user: str) -> str:
        trigger_id = f"{int(self.clock())}.{self.new_id('')}.{self.team_id.lower()}"
        self.triggers[trigger_id] = (user, self.clock() + TRIGGER_TTL_SECONDS)
        return trigger_id

    def use_trigger(self, trigger_id: str | None) -> str:
        """The user a trigger belongs to; each trigger works once, within 3 seconds."""
        if trigger_id not in self.triggers:
            raise SlackError("invalid_trigger_id")
        user, expires = self.triggers.pop(trigger_id)
        if self.clock() > expires:
            raise SlackError("expired_trigger_id")
        return user

    def open_view(self, trigger_id: str, view: dict) -> dict:
        check_view(view)
        user = self.use_trigger(trigger_id)
        self.close_all_views(user)
        return self._stack_view(user, view)

    def push_view(self, trigger_id: str | None, view: dict, *, user: str | None = None) -> dict:
        """views.push with a trigger; a view_submission's response_action "push" passes the user instead."""
        check_view(view)
        user = user or self.use_trigger(trigger_id)
        if not self.view_stacks[user]:
            raise SlackError("not_found")
        if len(self.view_stacks[user]) >= MAX_VIEW_STACK:
            raise SlackError("push_limit_reached")
        return self._stack_view(user, view)

    def _stack_view(self, user: str, view: dict) -> dict:
        stack = self.view_stacks[user]
        stored = self._new_view(view, previous=stack[-1] if stack else None, root=stack[0] if stack else None)
        stack.append(stored["id"])
        self.view_owner[stored["id"]] = user
        return stored

    def _new_view(self, view: dict, *, previous: str | None = None, root: str | None = None,
                  view_id: str | None = None) -> dict:
        view_id = view_id or self.new_id(self._view_prefix)
        stored = {
            "id": view_id, "team_id": self.team_id, "type": view.get("type", "modal"),
            "blocks": with_ids(view.get("blocks", []), self.new_id),
            "private_metadata": view.get("private_metadata", ""), "callback_id": view.get("callback_id", ""),
            "state": {"values": {}}, "hash": f"{int(self.clock())}.{self.new_id('h')}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "previous_view_id": previous, "root_view_id": root or view_id, "app_id": self.app_id,
            "external_id": view.get("external_id", ""), "app_installed_team_id": self.team_id, "bot_id": self.bot_id,
        }
        stored.update({key: view[key] for key in ("title", "close", "submit", "submit_disabled") if key in view})
        if stored["type"] == "modal":
            stored.setdefault("close", DEFAULT_CLOSE_BUTTON)
        self.views[view_id] = stored
        return stored

    def view(self, view_id: str) -> dict:
        if view_id not in self.views:
            raise SlackError("not_found")
        return self.views[view_id]

    def update_view(self, view: dict, *, view_id: str | None = None, external_id: str | None = None,
                    hash: str | None = None) -> dict:
        check_view(view)
        if external_id:
            view_id = next((v["id"] for v in self.views.values() if v["external_id"] == external_id), None)
        current = self.view(view_id) if view_id else None
        if current is None:
            raise SlackError("not_found")
        if hash and hash != current["hash"]:
            raise SlackError("hash_conflict")
        view = {"type": current["type"], **view}
        return self._new_view(view, previous=current["previous_view_id"], root=current["root_view_id"],
                              view_id=current["id"])

    def close_view(self, view_id: str) -> None:
        user = self.view_owner.get(view_id)
        if user is None or view_id not in self.view_stacks[user]:
            raise SlackError("not_found")
        self.view_stacks[user].remove(view_id)

    def close_all_views(self, user: str) -> None:
        self.view_stacks[user].clear()

    def open_views(self, user: str) -> list[dict]:
        return [self.views[view_id] for view_id in self.view_stacks[user]]

    def publish_home(self, user: str, view: dict) -> dict:
        self.user(user)
        if view.get("type") != "home":
            raise SlackError("invalid_arguments")
        check_view(view)
        current = self.home_views.get(user)
        stored = self._new_view(view, view_id=current)
        self.home_views[user] = stored["id"]
        self.view_owner[stored["id"]] = user
        return stored

    # ---- files -------------------------------------------------------------------------------------

    def start_upload(self, filename: str, length: int) -> dict:
        if not filename or length < 1:
            raise SlackError("invalid_arguments")
        file_id = self.new_id("F")
        self.pending_uploads[file_id] = {"filename": filename, "length": length}
        return {"file_id": file_id, "upload_url": f"{self.root_url}upload/{file_id}"}

    def receive_upload(self, file_id: str, content: bytes) -> None:
        if file_id not in self.pending_uploads:
            raise SlackError("file_not_found")
        self.file_bytes[file_id] = content

    def complete_upload(self, items: list[dict], *, channel_id: str | None, thread_ts: str | None,
                        initial_comment: str | None) -> list[dict]:
        if not isinstance(items, list):
            raise SlackError("invalid_arguments")
        records = [self._file_record(item, channel_id) for item in items]
        if channel_id:
            self.post(channel_id, self.bot_author(), text=initial_comment or "", thread_ts=thread_ts,
                      files=records, upload=True, display_as_bot=False)
        return records

    def _file_record(self, item: dict, channel_id: str | None) -> dict:
        file_id = item.get("id")
        if file_id not in self.pending_uploads or file_id not in self.file_bytes:
            raise SlackError("file_not_found")
        name = self.pending_uploads.pop(file_id)["filename"]
        now = int(self.clock())
        record = {
            "id": file_id, "created": now, "timestamp": now, "name": name, "title": item.get("title") or name,
            "mimetype": guess_mimetype(name), "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "",
            "user": self.bot_user_id, "size": len(self.file_bytes[file_id]), "mode": "hosted",
            "is_external": False, "is_public": bool(channel_id), "url_private": f"{self.root_url}files/{file_id}/{name}",
            "url_private_download": f"{self.root_url}files/{file_id}/{name}",
            "permalink": f"https://{self.domain}.slack.com/files/{self.bot_user_id}/{file_id}/{name}",
            "channels": [channel_id] if channel_id else [],
        }
        self.files[file_id] = record
        return record

    # ---- canvases ------------------------------------------------------------------------------------

    def _check_canvas_plan(self, *, creating: bool = False) -> None:
        if not self.canvas_plan.canvases:
            raise SlackError("canvas_disabled_user_team")
        if creating and self.canvas_plan.restricted:
            raise SlackError("restricted_action")

    def create_canvas(self, owner: str, *, title: str | None, content: dict | None,
                      channel_tab: str | None = None, as_channel_canvas: bool = False) -> Canvas:
        """conversations.canvases.create (``as_channel_canvas``) or canvases.create, tabbed in ``channel_tab``."""
        self._check_canvas_plan(creating=True)
        channel = self.channel(channel_tab) if channel_tab else None
        if as_channel_canvas:
            if not self.canvas_plan.channel_canvases:
                raise SlackError("team_tier_cannot_create_channel_canvases")
            if channel.canvas_id:
                raise SlackError("channel_canvas_already_exists")
        elif channel and not self.canvas_plan.channel_canvases and channel.canvas_id:
            raise SlackError("free_team_canvas_tab_already_exists")
        canvas = Canvas(self.new_id("F"), title or "", self._sections(canvas_markdown(content)), owner,
                        tab_channel=channel.id if channel else None, access={owner: "owner"})
        if channel:
            canvas.access[channel.id] = "write"
            if as_channel_canvas or not channel.canvas_id:
                channel.canvas_id = canvas.id
        self.canvases[canvas.id] = canvas
        return canvas

    def canvas(self, canvas_id: str) -> Canvas:
        self._check_canvas_plan()
        if canvas_id not in self.canvases:
            raise SlackError("canvas_not_found")
        return self.canvases[canvas_id]

    def _sections(self, markdown: str) -> list[dict]:
        """Markdown cut before every heading; each piece gets a section id like Slack's `temp:C:…`."""
        pieces = [piece for piece in CANVAS_HEADING.split(markdown) if piece]
        return [{"id": f"temp:C:{self.new_id('')}", "markdown": piece} for piece in pieces]

    def edit_canvas(self, canvas_id: str, changes: list) -> None:
        canvas = self.canvas(canvas_id)
        if not isinstance(changes, list) or len(changes) != 1 or not isinstance(changes[0], dict):
            raise SlackError("invalid_arguments")  # Slack applies one change per call today
        change = changes[0]
        operation, section_id = change.get("operation"), change.get("section_id")
        if operation == "rename":
            canvas.title = canvas_markdown(change.get("title_content")).strip()
        elif operation == "replace" and section_id is None:
            canvas.sections = self._sections(canvas_markdown(change.get("document_content")))
        elif operation in CANVAS_INSERTS:
            new = self._sections(canvas_markdown(change.get("document_content")))
            index = CANVAS_INSERTS[operation](canvas, section_id)
            canvas.sections[index:index] = new
        elif operation in ("replace", "delete"):
            index = canvas.section_index(section_id)
            new = self._sections(canvas_markdown(change.get("document_content"))) if operation == "replace" else []
            canvas.sections[index:index + 1] = new
        else:
            raise SlackError("invalid_arguments")
        canvas.edits += 1

    def delete_canvas(self, canvas_id: str) -> None:
        canvas = self.canvas(canvas_id)
        del self.canvases[canvas_id]
        for channel in self.channels.values():
            if channel.canvas_id == canvas.id:
                channel.canvas_id = None

    def set_canvas_access(self, canvas_id: str, level: str, *, channel_ids: list[str], user_ids: list[str]) -> None:
        canvas = self.canvas(canvas_id)
        if bool(channel_ids) == bool(user_ids) or level not in ("read", "write", "owner") \
                or (level == "owner" and channel_ids) or len(channel_ids or user_ids) > 20:
            raise SlackError("invalid_arguments")
        for channel_id in channel_ids:
            if channel_id not in self.channels:
                raise SlackError("channel_not_found")
        for user_id in user_ids:
            self.user(user_id)
        canvas.access.update(dict.fromkeys(channel_ids or user_ids, level))

    def lookup_sections(self, canvas_id: str, criteria: dict) -> list[dict]:
        canvas = self.canvas(canvas_id)
        if not isinstance(criteria, dict) or not (criteria.get("section_types") or criteria.get("contains_text")):
            raise SlackError("invalid_arguments")
        types = set(criteria.get("section_types") or ())
        text = criteria.get("contains_text")
        return [{"id": section["id"]} for section in canvas.sections
                if (not types or _heading_type(section["markdown"]) in types
                    or ("any_header" in types and _heading_type(section["markdown"])))
                and (text is None or text in section["markdown"])]

    # ---- response_url and OAuth ----------------------------------------------------------------

    def new_response_target(self, channel: str, user: str, *, message_ts: str | None = None,
                            is_ephemeral: bool = False) -> str:
        target_id = self.new_id("R")
        self.response_targets[target_id] = ResponseTarget(channel, user, message_ts, is_ephemeral, self.clock())
        return target_id

    def use_response_target(self, target_id: str) -> ResponseTarget:
        """A response_url works 5 times within 30 minutes."""
        target = self.response_targets.get(target_id)
        if target is None:
            raise SlackError("invalid_url")
        if self.clock() - target.created > RESPONSE_URL_TTL_SECONDS:
            raise SlackError("expired_url")
        if target.uses >= RESPONSE_URL_USES:
            raise SlackError("used_url")
        target.uses += 1
        return target

    def deliver_response(self, target: ResponseTarget, body: dict) -> None:
        """What Slack does with a response_url POST, or with a slash command's non-empty ack body."""
        content = {key: body[key] for key in ("text", "blocks") if key in body}
        if body.get("delete_original") and target.message_ts:
            self._drop_original(target)
        elif body.get("replace_original") and target.message_ts:
            original = (self.ephemeral(target.user, target.message_ts) if target.is_ephemeral
                        else self.message(target.channel, target.message_ts))
            original.update(content, blocks=with_ids(content.get("blocks", []), self.new_id))
        elif body.get("response_type") == "in_channel":
            self.post(target.channel, self.bot_author(), thread_ts=body.get("thread_ts"), **content)
        else:
            self.post_ephemeral(target.channel, target.user, thread_ts=body.get("thread_ts"), **content)

    def _drop_original(self, target: ResponseTarget) -> None:
        if target.is_ephemeral:
            self.ephemerals.remove(self.ephemeral(target.user, target.message_ts))
        else:
            self.delete(target.channel, target.message_ts, self.bot_user_id)

    def add_oauth_code(self, code: str, *, client_id: str, client_secret: str, installer: str,
                       bot_scopes: str, user_scopes: str) -> None:
        self.oauth_codes[code] = {"client_id": client_id, "client_secret": client_secret, "installer": installer,
                                  "bot_scopes": bot_scopes, "user_scopes": user_scopes}

    def exchange_oauth_code(self, code: str | None, client_id: str | None, client_secret: str | None) -> dict:
        """oauth.v2.access: each code works once, for the client it was issued to."""
        grant = self.oauth_codes.pop(code, None)
        if grant is None:
            raise SlackError("invalid_code")
        if client_id != grant["client_id"]:
            raise SlackError("invalid_client_id")
        if client_secret != grant["client_secret"]:
            raise SlackError("bad_client_secret")
        authed_user = {"id": grant["installer"]}
        if grant["user_scopes"]:
            user_token = f"xoxp-{self.team_id}-{self.new_id('')}"
            self.user_tokens[user_token] = grant["installer"]
            authed_user.update(scope=grant["user_scopes"], access_token=user_token, token_type="user")
        return {"app_id": self.app_id, "authed_user": authed_user, "scope": grant["bot_scopes"],
                "token_type": "bot", "access_token": f"xoxb-{self.team_id}-{self.new_id('')}",
                "bot_user_id": self.bot_user_id, "team": {"id": self.team_id, "name": self.team_name},
                "enterprise": None, "is_enterprise_install": False}

    def open_socket_ticket(self) -> str:
        if not self.socket_mode_url:
            raise SlackError("internal_error")  # the test forgot to start a SocketModeServer
        ticket = self.new_id("ticket-")
        self.socket_tickets.add(ticket)
        return f"{self.socket_mode_url}?ticket={ticket}&app_id={self.app_id}"

    def identity(self, token: str) -> dict:
        """auth.test's answer for a token: the installing user for user tokens, the bot otherwise."""
        common = {"url": f"https://{self.domain}.slack.com/", "team": self.team_name, "team_id": self.team_id,
                  "is_enterprise_install": False}
        user_id = self.user_tokens.get(token)
        if user_id:
            return {**common, "user": self.users[user_id]["name"], "user_id": user_id}
        return {**common, "user": "journeybot", "user_id": self.bot_user_id, "bot_id": self.bot_id}


CANVAS_HEADING = re.compile(r"(?m)^(?=#{1,3} )")
CANVAS_INSERTS: dict[str, Callable[[Canvas, str | None], int]] = {
    "insert_at_start": lambda canvas, _: 0,
    "insert_at_end": lambda canvas, _: len(canvas.sections),
    "insert_before": lambda canvas, section_id: canvas.section_index(section_id),
    "insert_after": lambda canvas, section_id: canvas.section_index(section_id) + 1,
}
MAX_CANVAS_MARKDOWN = 1_048_576  # 1 MiB of markdown, as Slack's method reference says


def canvas_markdown(content: Any) -> str:
    """The markdown of a `document_content` (or `title_content`); Slack knows only the markdown type."""
    if content is None:
        return ""
    if not isinstance(content, dict) or content.get("type") != "markdown" or not isinstance(content.get("markdown"), str):
        raise SlackError("invalid_arguments")
    if len(content["markdown"]) > MAX_CANVAS_MARKDOWN:
        raise SlackError("invalid_arguments")
    return content["markdown"]


def _heading_type(markdown: str) -> str | None:
    hashes = len(markdown) - len(markdown.lstrip("#"))
    return f"h{hashes}" if 1 <= hashes <= 3 and markdown[hashes:hashes + 1] == " " else None


def check_message(text: str, blocks: list | None, files: list | None = None) -> None:
    if blocks is not None and not isinstance(blocks, list):
        raise SlackError("invalid_blocks")
    if not text and not blocks and not files:
        raise SlackError("no_text")
    if len(text) > MAX_TEXT_CHARS:
        raise SlackError("msg_too_long")
    if blocks and len(blocks) > MAX_MESSAGE_BLOCKS:
        raise SlackError("invalid_blocks")


def check_view(view: dict | None) -> None:
    if not isinstance(view, dict) or len(view.get("blocks", [])) > MAX_VIEW_BLOCKS:
        raise SlackError("invalid_arguments")
    if view.get("type", "modal") == "modal" and "title" not in view:
        raise SlackError("invalid_arguments")


def _set_thread_counts(parent: dict, reply_count: int, reply_users: list[str | None], latest_reply: str) -> None:
    """A thread's parent as Slack shows it: how many replies, by whom (each once, in order), the latest."""
    users = list(dict.fromkeys(reply_users))
    parent.update(thread_ts=parent["ts"], is_locked=False, reply_count=reply_count, reply_users=users,
                  reply_users_count=len(users), latest_reply=latest_reply)


def with_ids(blocks: list, new_id: Callable[[str], str]) -> list:
    """A copy of blocks in which every block has a block_id and every element an action_id, as Slack fills them in."""
    blocks = copy.deepcopy(blocks)
    for block in blocks:
        block.setdefault("block_id", new_id("b"))
        for element in block_elements(block):
            if "type" in element and element["type"] not in ("plain_text", "mrkdwn", "image"):
                element.setdefault("action_id", new_id("a"))
    return blocks


def block_elements(block: dict) -> list[dict]:
    """The interactive elements of one block (actions' elements, a section's accessory, an input's element)."""
    found = []
    for key in INTERACTIVE_ELEMENT_KEYS:
        value = block.get(key)
        if isinstance(value, dict):
            found.append(value)
        elif isinstance(value, list) and block.get("type") == "actions":
            found.extend(value)
    return found


def guess_mimetype(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
