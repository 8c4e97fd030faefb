"""WebAPI: Slack's Web API as a real HTTP server on 127.0.0.1, with the workspace kept in memory.

Point a `WebClient(base_url=web_api.base_url)` at it. Besides /api/<method> it serves the upload URLs
files.getUploadURLExternal hands out, the response_urls it mints, and file downloads.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import logging
import socket
import sys
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

from bot.standin.methods import METHODS, TOKENLESS_METHODS, ApiCall
from bot.standin.state import CanvasPlan, ResponseTarget, SlackError, SlackState

# parameters Slack takes as JSON inside form fields
JSON_PARAMS = ("attachments", "blocks", "files", "metadata", "view", "document_content", "title_content", "changes",
               "criteria", "channel_ids", "user_ids")

logger = logging.getLogger(__name__)


@dataclass
class Fault:
    error: str
    status: int
    retry_after: int | None
    delay: float


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    @classmethod
    def json(cls, payload: dict, status: int = 200, headers: dict | None = None) -> "Reply":
        headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        return cls(status, json.dumps(payload).encode(), headers)


class WebAPI:
    def __init__(self, *, team_id: str = "T0JOURNEY", team_name: str = "Journey Workshop",
                 bot_user_id: str = "U0JOURNEYBOT", bot_id: str = "B0JOURNEY", app_id: str = "A0JOURNEY",
                 clock: Callable[[], float] = time.time):
        self.state = SlackState(team_id=team_id, team_name=team_name, bot_user_id=bot_user_id,
                                bot_id=bot_id, app_id=app_id, clock=clock)
        self._calls: list[dict] = []
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._server: _Server | None = None

    # ---- lifecycle -------------------------------------------------------------------------------

    def start(self) -> "WebAPI":
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.web_api = self
        self.state.root_url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        # a short poll interval keeps stop() (and so every test's teardown) fast
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="standin-web-api",
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self.close_connections()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "WebAPI":
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """What to pass as WebClient(base_url=...), i.e. the SLACK_API_URL setting."""
        if not self.state.root_url:
            raise RuntimeError("WebAPI is not started")
        return self.state.root_url + "api/"

    # ---- setting the workspace up -----------------------------------------------------------------

    @property
    def team_id(self) -> str:
        return self.state.team_id

    @property
    def bot_user_id(self) -> str:
        return self.state.bot_user_id

    def add_user(self, user_id: str, name: str, real_name: str | None = None, tz: str = "Europe/Amsterdam") -> dict:
        with self.state.lock:
            return copy.deepcopy(self.state.add_user(user_id, name, real_name, tz))

    def add_channel(self, channel_id: str, name: str, members: list[str] = ()) -> None:
        """A channel the bot is in, with these members."""
        with self.state.lock:
            self.state.add_channel(channel_id, name, list(members))

    def join(self, channel_id: str, user_id: str) -> None:
        """Adds a person to a channel, keeping its messages."""
        with self.state.lock:
            members = self.state.channel(channel_id).members
            if user_id not in members:
                members.append(user_id)

    def add_oauth_code(self, code: str, *, client_id: str, client_secret: str, installer: str,
                       bot_scopes: str = "chat:write,commands", user_scopes: str = "") -> None:
        """A code that oauth.v2.access exchanges (once) for an installation."""
        with self.state.lock:
            self.state.add_oauth_code(code, client_id=client_id, client_secret=client_secret, installer=installer,
                                      bot_scopes=bot_scopes, user_scopes=user_scopes)

    def issue_trigger(self, user: str) -> str:
        with self.state.lock:
            return self.state.issue_trigger(user)

    def response_url(self, channel_id: str, user_id: str, *, message_ts: str | None = None,
                     is_ephemeral: bool = False) -> str:
        """A response_url for an interaction by user_id in channel_id (about the message at message_ts, if any)."""
        with self.state.lock:
            target_id = self.state.new_response_target(channel_id, user_id, message_ts=message_ts,
                                                       is_ephemeral=is_ephemeral)
        return f"{self.state.root_url}response/{target_id}"

    def fail(self, method: str, *, error: str = "internal_error", status: int = 200,
             retry_after: int | None = None, times: int = 1, delay: float = 0.0) -> None:
        """Make the next `times` calls of `method` fail, without effect, after `delay` seconds.

        status=429 answers {"ok": false, "error": "ratelimited"} with Retry-After like Slack;
        status=500/503 are server errors; a delay longer than the client's timeout makes it time out.
        """
        error = "ratelimited" if status == 429 else error
        with self.state.lock:
            self._faults[method].extend(Fault(error, status, retry_after, delay) for _ in range(times))

    # ---- reading the workspace (copies, safe to keep) ----------------------------------------------------

    def _locked(self, read: Callable[[], Any]) -> Any:
        with self.state.lock:
            return copy.deepcopy(read())

    @property
    def calls(self) -> list[dict]:
        """Every Web API call (and response_url POST) in order: {method, params, time, ok[, error]}."""
        return self._locked(lambda: self._calls)

    @property
    def call_count(self) -> int:
        with self.state.lock:
            return len(self._calls)

    def close_connections(self) -> None:
        """Closes every kept-open connection, as Slack does with connections left idle."""
        if self._server:
            self._server.close_connections()

    @property
    def connections_opened(self) -> int:
        """How many connections clients opened (a client that keeps its connection opens one for many calls)."""
        return self._server.opened if self._server else 0

    def transcript(self) -> list[dict]:
        """The calls, JSON-serialisable (the demo writes them to slack-transcript.json)."""
        return json.loads(json.dumps(self.calls, default=str))

    def calls_of(self, method: str) -> list[dict]:
        return [call for call in self.calls if call["method"] == method]

    def messages(self, channel: str) -> list[dict]:
        """Top-level messages of a channel, oldest first (thread broadcasts included)."""
        return self._locked(lambda: self.state.top_level(channel))

    def thread(self, channel: str, ts: str) -> list[dict]:
        """The parent message followed by its replies."""
        return self._locked(lambda: self.state.thread(channel, ts))

    def message(self, channel: str, ts: str) -> dict:
        return self._locked(lambda: self.state.message(channel, ts))

    def ephemerals(self, user: str | None = None) -> list[dict]:
        return self._locked(lambda: [e for e in self.state.ephemerals if user in (None, e["user"])])

    def reactions(self, channel: str, ts: str) -> dict[str, list[str]]:
        """{reaction name: [user ids]}."""
        return self._locked(lambda: {r["name"]: r["users"] for r in self.state.message(channel, ts).get("reactions", [])})

    def home(self, user: str) -> dict | None:
        return self._locked(lambda: self.state.views.get(self.state.home_views.get(user)))

    def open_views(self, user: str) -> list[dict]:
        """The user's modal stack, root first."""
        return self._locked(lambda: self.state.open_views(user))

    def view(self, view_id: str) -> dict:
        return self._locked(lambda: self.state.view(view_id))

    def scheduled(self) -> list[dict]:
        return self._locked(lambda: list(self.state.scheduled.values()))

    def files(self) -> list[dict]:
        """Completed uploads, each with its bytes under "content"."""
        return self._locked(lambda: [{**f, "content": self.state.file_bytes[f["id"]]} for f in self.state.files.values()])

    def user(self, user_id: str) -> dict:
        return self._locked(lambda: self.state.user(user_id))

    def canvases(self) -> list[dict]:
        """Every canvas: {id, title, markdown, owner, tab_channel, access, edits}."""
        return self._locked(lambda: [{"id": c.id, "title": c.title, "markdown": c.markdown, "owner": c.owner,
                                      "tab_channel": c.tab_channel, "access": c.access, "edits": c.edits}
                                     for c in self.state.canvases.values()])

    def set_canvas_plan(self, *, canvases: bool = True, channel_canvases: bool = True, restricted: bool = False) -> None:
        """What the workspace allows: canvases at all, channel canvases (paid plans), the bot making them."""
        with self.state.lock:
            self.state.canvas_plan = CanvasPlan(canvases, channel_canvases, restricted)

    def give_channel_a_canvas(self, channel_id: str, owner: str) -> str:
        """The channel's own canvas, made by a person; returns its id."""
        with self.state.lock:
            return self.state.create_canvas(owner, title="Team notes", content=None, channel_tab=channel_id,
                                            as_channel_canvas=True).id

    def channel_name(self, channel_id: str) -> str:
        return self._locked(lambda: self.state.channel(channel_id).name)

    def channel_names(self) -> dict[str, str]:
        """Every channel's name by its ID."""
        return self._locked(lambda: {channel.id: channel.name for channel in self.state.channels.values()})

    # ---- what people and Slack's own UI do (used by People) -----------------------------------

    def now(self) -> float:
        return self.state.clock()

    def new_ts(self) -> str:
        return self._locked(self.state.new_ts)

    def channel_type(self, channel_id: str) -> str:
        return self._locked(lambda: "im" if self.state.channel(channel_id).is_im else "channel")

    def im_channel(self, user_id: str) -> str:
        """The id of the bot's DM channel with this user (where the Home tab's Messages live)."""
        return self._locked(lambda: self.state.channel(self.state.user(user_id)["id"]).id)

    def post_as_user(self, user: str, channel: str, fields: dict, *, thread_ts: str | None = None,
                     broadcast: bool = False) -> dict:
        def post() -> dict:
            self.state.user(user)
            return self.state.post(channel, {"user": user}, thread_ts=thread_ts, broadcast=broadcast, **fields)
        return self._locked(post)

    def restore_bot_message(self, channel: str, ts: str) -> None:
        """An (empty) message the bot posted at ``ts`` in an earlier run, so the bot can update it again."""
        def restore() -> None:
            message = {"type": "message", "text": "", **self.state.bot_author(), "ts": ts, "team": self.state.team_id,
                       "blocks": []}
            self.state.channel(channel).messages.setdefault(ts, message)
        self._locked(restore)

    def edit_as_user(self, user: str, channel: str, ts: str, fields: dict) -> tuple[dict, dict]:
        return self._locked(lambda: self.state.update(channel, ts, user, text=fields["text"], blocks=fields["blocks"]))

    def delete_as_user(self, user: str, channel: str, ts: str) -> dict:
        return self._locked(lambda: self.state.delete(channel, ts, user))

    def clickable_message(self, user: str, channel: str, ts: str) -> tuple[dict, bool]:
        """The message at ts as `user` sees it: a channel message, else one of their ephemerals; and is_ephemeral."""
        def find() -> tuple[dict, bool]:
            if ts in self.state.channel(channel).messages:
                return self.state.message(channel, ts), False
            return self.state.ephemeral(user, ts), True
        return self._locked(find)

    def show_command_response(self, channel: str, user: str, body: dict) -> None:
        """Slack shows a slash command's non-empty ack body to the user (or the channel, if in_channel)."""
        self._locked(lambda: self.state.deliver_response(ResponseTarget(channel, user), body))

    def close_view(self, view_id: str) -> None:
        self._locked(lambda: self.state.close_view(view_id))

    def clear_views(self, user: str) -> None:
        self._locked(lambda: self.state.close_all_views(user))

    def replace_view(self, view_id: str, view: dict) -> dict:
        return self._locked(lambda: self.state.update_view(view, view_id=view_id))

    def push_view(self, user: str, view: dict) -> dict:
        return self._locked(lambda: self.state.push_view(None, view, user=user))

    # ---- what the HTTP handler calls --------------------------------------------------------------------

    def call_api(self, call: ApiCall) -> Reply:
        with self.state.lock:
            fault = self._faults[call.method].popleft() if self._faults[call.method] else None
        if fault:
            time.sleep(fault.delay)
            return self._record(call.method, call.params, self._fault_reply(fault))
        return self._record(call.method, call.params, self._answer(call))

    def _answer(self, call: ApiCall) -> Reply:
        method = METHODS.get(call.method)
        if method is None:
            return Reply.json({"ok": False, "error": "unknown_method"})
        if not call.token and call.method not in TOKENLESS_METHODS:
            return Reply.json({"ok": False, "error": "not_authed"})
        with self.state.lock:
            try:
                return Reply.json({"ok": True, **method(self.state, call)})
            except SlackError as refusal:
                return Reply.json({"ok": False, "error": refusal.error})

    @staticmethod
    def _fault_reply(fault: Fault) -> Reply:
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        return Reply.json({"ok": False, "error": fault.error}, status=fault.status, headers=headers)

    def _record(self, method: str, params: dict, reply: Reply) -> Reply:
        outcome = json.loads(reply.body) if reply.headers.get("Content-Type", "").startswith("application/json") else {}
        entry = {"method": method, "params": _loggable(params), "time": time.time(), "ok": outcome.get("ok", False)}
        if "error" in outcome:
            entry["error"] = outcome["error"]
        with self.state.lock:
            self._calls.append(entry)
        return reply

    def receive_upload(self, file_id: str, content: bytes) -> Reply:
        with self.state.lock:
            try:
                self.state.receive_upload(file_id, content)
            except SlackError:
                return Reply(404, b"file not found", {"Content-Type": "text/plain"})
        return Reply(200, f"OK - {len(content)}".encode(), {"Content-Type": "text/plain"})

    def post_to_response_url(self, target_id: str, body: dict) -> Reply:
        with self.state.lock:
            try:
                self.state.deliver_response(self.state.use_response_target(target_id), body)
                reply = Reply.json({"ok": True})
            except SlackError as refusal:
                reply = Reply.json({"ok": False, "error": refusal.error}, status=404)
        return self._record("response_url", body, reply)

    def download(self, file_id: str) -> Reply:
        with self.state.lock:
            record, content = self.state.files.get(file_id), self.state.file_bytes.get(file_id)
        if record is None:
            return Reply(404, b"file not found", {"Content-Type": "text/plain"})
        return Reply(200, content, {"Content-Type": record["mimetype"]})


def _loggable(params: dict) -> dict:
    return {key: f"<{len(value)} bytes>" if isinstance(value, bytes) else value
            for key, value in params.items() if key != "token"}


# ---- HTTP --------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    """Keeps connections open between calls, as Slack does, and closes them all when it stops."""

    daemon_threads = True
    web_api: WebAPI

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self.opened = 0

    def process_request(self, request: socket.socket, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
            self.opened += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Ends the kept-open connections, whose threads would otherwise wait for a next call forever."""
        with self._open_lock:
            for request in self._open:
                with contextlib.suppress(OSError):
                    request.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up (timeout faults) is normal
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # connections stay open from call to call, as Slack's do
    disable_nagle_algorithm = True  # or a kept connection's next reply waits for a delayed ACK

    def do_POST(self) -> None:
        self._route()

    def do_GET(self) -> None:
        self._route()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read WebAPI.calls instead of an access log."""

    def _route(self) -> None:
        web_api = self.server.web_api
        url = urlsplit(self.path)
        _, section, *rest = url.path.split("/", 2) + [""]
        name = rest[0].split("/")[0]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            reply = self._dispatch(web_api, section, name, url.query, raw)
        except Exception:  # a stand-in bug: answer like a failing Slack, and say where it broke
            logger.exception("WebAPI failed on %s", self.path)
            reply = Reply.json({"ok": False, "error": "internal_error"}, status=500)
        self._send(reply)

    def _dispatch(self, web_api: "WebAPI", section: str, name: str, query: str, raw: bytes) -> Reply:
        if section == "api":
            params = {**dict(parse_qsl(query)), **parse_body(self.headers.get("Content-Type", ""), raw)}
            return web_api.call_api(self._api_call(name, params))
        if section == "upload" and self.command == "POST":
            return web_api.receive_upload(name, raw)
        if section == "response" and self.command == "POST":
            return web_api.post_to_response_url(name, json.loads(raw or b"{}"))
        if section == "files" and self._bearer():
            return web_api.download(name)
        return Reply(404, b"not found", {"Content-Type": "text/plain"})

    def _api_call(self, method: str, params: dict) -> ApiCall:
        return ApiCall(method, decode_json_params(params), token=self._bearer() or params.get("token"),
                       basic_auth=self._basic_auth())

    def _bearer(self) -> str | None:
        scheme, _, value = self.headers.get("Authorization", "").partition(" ")
        return value.strip() or None if scheme.lower() == "bearer" else None

    def _basic_auth(self) -> tuple[str, str] | None:
        scheme, _, value = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        client_id, _, secret = base64.b64decode(value).decode().partition(":")
        return client_id, secret

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)


def parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    """Web API parameters from a form-encoded, JSON or multipart body, as Slack accepts all three."""
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(raw)
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
        return {part.get_param("name", header="content-disposition"): _part_value(part)
                for part in message.iter_parts()}
    return dict(parse_qsl(raw.decode(), keep_blank_values=True))


def _part_value(part: Any) -> str | bytes:
    content = part.get_payload(decode=True)
    return content if part.get_filename() else content.decode()


def decode_json_params(params: dict[str, Any]) -> dict[str, Any]:
    """Form bodies carry blocks, views and the like as JSON strings; JSON bodies carry them as objects.

    Malformed JSON stays a string, which the methods refuse like Slack does (invalid_blocks, invalid_arguments).
    """
    decoded = dict(params)
    for key in JSON_PARAMS:
        if isinstance(decoded.get(key), str) and decoded[key]:
            try:
                decoded[key] = json.loads(decoded[key])
            except json.JSONDecodeError:
                pass
    return decoded
