"""SocketModeServer: Slack's end of Socket Mode, on ws://127.0.0.1, with the standard library only.

    with WebAPI() as web_api, SocketModeServer(web_api) as slack:
        ...start the app with an xapp- token and SLACK_API_URL=web_api.base_url...
        link = slack.wait_for_links(1)[0]
        ack = slack.deliver("slash_commands", {...form fields...})   # waits for the app's ack

As Slack does: apps.connections.open (in the WebAPI) hands out a one-time URL; the server greets each
connection with `hello`; it sends `events_api`, `slash_commands` and `interactive` envelopes, spread
over the connections, and waits for the ack carrying the envelope_id; it can ask a connection to go
(`disconnect`, reason `refresh_requested`), drop it without a word (a TCP close, no close frame) or
let it go silent (no FIN, pings unanswered), and it redelivers an event with `retry_attempt`.
`dispatch` lets `People` speak through it.
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import json
import socket
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

from slack_bolt import BoltRequest, BoltResponse

from bot.standin.webapi import WebAPI

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455's constant for Sec-WebSocket-Accept
CONTINUATION, TEXT, CLOSE, PING, PONG = 0x0, 0x1, 0x8, 0x9, 0xA
ACK_TIMEOUT = 10  # Slack gives up after 3 s; the tests wait longer, to tell "late" from "never"


class NoAck(AssertionError):
    """The app did not acknowledge an envelope in time (a person would see an error in Slack)."""


@dataclass
class Ack:
    payload: dict | None
    seconds: float  # from sending the envelope to receiving its ack


@dataclass
class Link:
    """One WebSocket connection from the app."""

    number: int
    sock: socket.socket
    hello_at: float = 0.0
    silent: bool = False  # the network between app and Slack went dark: nothing comes through, no FIN either
    delivered: int = 0  # envelopes sent on this connection
    closed: threading.Event = field(default_factory=threading.Event)
    _send_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def is_open(self) -> bool:
        return not self.closed.is_set()

    def send_json(self, message: dict) -> None:
        self.send_frame(TEXT, json.dumps(message).encode())

    def send_frame(self, opcode: int, data: bytes) -> None:
        length = len(data)
        if length < 126:
            header = struct.pack("!BB", 0x80 | opcode, length)
        elif length < 1 << 16:
            header = struct.pack("!BBH", 0x80 | opcode, 126, length)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 127, length)
        with self._send_lock:
            self.sock.sendall(header + data)


class SocketModeServer:
    def __init__(self, web_api: WebAPI, *, ack_timeout: float = ACK_TIMEOUT):
        self.web_api = web_api
        self.ack_timeout = ack_timeout
        self.links: list[Link] = []  # every connection ever made, oldest first
        self._numbers = itertools.count(1)
        self._next_link = itertools.count()
        self._pending: dict[str, tuple[threading.Event, list]] = {}
        self._lock = threading.Condition()
        self._listener: socket.socket | None = None

    # ---- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> "SocketModeServer":
        self._listener = socket.create_server(("127.0.0.1", 0))
        host, port = self._listener.getsockname()
        with self.web_api.state.lock:
            self.web_api.state.socket_mode_url = f"ws://{host}:{port}/link/"
        threading.Thread(target=self._accept, name="standin-socket-mode", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._listener:
            self._listener.close()
            self._listener = None
        for link in self.open_links():
            self._hang_up(link)

    def __enter__(self) -> "SocketModeServer":
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    # ---- what Slack does -----------------------------------------------------------------------------

    def open_links(self) -> list[Link]:
        """Connections that said hello and are still open (and not silenced), oldest first."""
        with self._lock:
            return [link for link in self.links if link.is_open and link.hello_at and not link.silent]

    def wait_for_links(self, count: int, timeout: float = 15, *, newer_than: Link | None = None) -> list[Link]:
        """Waits until `count` connections are open (made after `newer_than`, if given); returns them."""
        def ready() -> list[Link]:
            links = [link for link in self.open_links() if newer_than is None or link.number > newer_than.number]
            return links if len(links) >= count else []

        with self._lock:
            if not self._lock.wait_for(ready, timeout):
                raise AssertionError(f"expected {count} Socket Mode connection(s); open: {len(self.open_links())}")
            return ready()

    def deliver(self, kind: str, payload: dict, *, link: Link | None = None, retry_attempt: int = 0,
                retry_reason: str = "", timeout: float | None = None) -> Ack:
        """Sends an envelope (to `link`, else to the open connections in turn) and waits for its ack."""
        link = link or self._pick_link()
        envelope_id = str(uuid.uuid4())
        envelope = {"envelope_id": envelope_id, "payload": payload, "type": kind,
                    "accepts_response_payload": _accepts_response_payload(kind, payload)}
        if kind == "events_api":
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": retry_reason}
        arrived, ack = threading.Event(), []
        with self._lock:
            self._pending[envelope_id] = (arrived, ack)
        sent = time.monotonic()
        link.send_json(envelope)
        link.delivered += 1
        if not arrived.wait(self.ack_timeout if timeout is None else timeout):
            with self._lock:
                self._pending.pop(envelope_id, None)
            raise NoAck(f"no ack for {kind} envelope {envelope_id} on connection {link.number}")
        return Ack(ack[0].get("payload"), ack[1] - sent)

    def refresh(self, link: Link) -> None:
        """Slack's routine refresh: the app should connect anew (Slack would close this one a few seconds later;
        the stand-in leaves that to the app, so that what is still sent here shows whether it is handled)."""
        link.send_json({"type": "disconnect", "reason": "refresh_requested", "num_connections": len(self.open_links()),
                        "debug_info": {"host": "standin-applink"}, "connection_info": self._connection_info()})

    def drop(self, link: Link) -> None:
        """The network goes: the TCP connection ends without a WebSocket close frame."""
        self._hang_up(link)

    def silence(self, link: Link) -> None:
        """The path goes dark without a FIN (a sleeping laptop, a NAT that forgot us): pings go unanswered."""
        link.silent = True

    def dispatch(self, request: BoltRequest) -> BoltResponse:
        """What `People` sends, as Slack sends it over Socket Mode: the ack becomes the response."""
        kind, payload = _envelope_content(request)
        retry = int(request.headers.get("x-slack-retry-num", ["0"])[0])
        reason = request.headers.get("x-slack-retry-reason", [""])[0]
        try:
            ack = self.deliver(kind, payload, retry_attempt=retry, retry_reason=reason)
        except NoAck:
            return BoltResponse(status=504, body="")  # Slack tells the person the app did not respond
        body = json.dumps(ack.payload) if ack.payload else ""
        return BoltResponse(status=200, body=body, headers={"content-type": "application/json"})

    def _connection_info(self) -> dict:
        return {"app_id": self.web_api.state.app_id}

    def _pick_link(self) -> Link:
        links = self.wait_for_links(1)
        return links[next(self._next_link) % len(links)]

    # ---- the WebSocket protocol ---------------------------------------------------------------------

    def _accept(self) -> None:
        while self._listener:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return  # stopped
            threading.Thread(target=self._serve, args=(sock,), name="standin-socket-link", daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        reader = sock.makefile("rb")
        link = Link(next(self._numbers), sock)
        try:
            if not self._handshake(reader, sock):
                return
            with self._lock:
                self.links.append(link)
            link.send_json({"type": "hello", "num_connections": len(self.open_links()) + 1,
                            "debug_info": {"host": "standin-applink", "approximate_connection_time": 18060},
                            "connection_info": self._connection_info()})
            with self._lock:
                link.hello_at = time.monotonic()
                self._lock.notify_all()
            self._read_frames(link, reader)
        except (OSError, ValueError):
            pass  # the app went away, or we dropped it
        finally:
            self._hang_up(link)

    def _handshake(self, reader, sock: socket.socket) -> bool:
        request_line = reader.readline().decode("latin-1")
        headers = {}
        while (line := reader.readline().decode("latin-1").strip()):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        ticket = parse_qs(urlsplit(request_line.split(" ")[1]).query).get("ticket", [""])[0]
        with self.web_api.state.lock:
            known = ticket in self.web_api.state.socket_tickets
            self.web_api.state.socket_tickets.discard(ticket)
        if not known or "sec-websocket-key" not in headers:
            sock.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            sock.close()
            return False
        accept = base64.b64encode(hashlib.sha1((headers["sec-websocket-key"] + WEBSOCKET_GUID).encode()).digest())
        sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        return True

    def _read_frames(self, link: Link, reader) -> None:
        message = b""
        while True:
            first, second = _read_exactly(reader, 2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length, = struct.unpack("!H", _read_exactly(reader, 2))
            elif length == 127:
                length, = struct.unpack("!Q", _read_exactly(reader, 8))
            mask = _read_exactly(reader, 4) if second & 0x80 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(_read_exactly(reader, length)))
            if link.silent:
                continue
            if opcode == CLOSE:
                link.send_frame(CLOSE, data[:2])
                return
            if opcode == PING:
                link.send_frame(PONG, data)
            elif opcode in (TEXT, CONTINUATION):
                message += data
                if first & 0x80:  # the last fragment
                    self._receive_ack(json.loads(message))
                    message = b""

    def _receive_ack(self, ack: dict) -> None:
        received = time.monotonic()
        with self._lock:
            arrived, slot = self._pending.pop(ack.get("envelope_id"), (None, None))
        if arrived:
            slot.extend([ack, received])
            arrived.set()

    def _hang_up(self, link: Link) -> None:
        with self._lock:
            if link.closed.is_set():
                return
            link.closed.set()
            self._lock.notify_all()
        try:
            link.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        link.sock.close()


def _read_exactly(reader, count: int) -> bytes:
    data = reader.read(count)
    if len(data) < count:
        raise ValueError("connection closed")
    return data


def _accepts_response_payload(kind: str, payload: dict) -> bool:
    """Whether the ack may carry an answer: a command's reply, a modal's response_action."""
    return kind == "slash_commands" or (kind == "interactive" and payload.get("type") == "view_submission")


def _envelope_content(request: BoltRequest) -> tuple[str, dict]:
    """Slack's HTTP body as a Socket Mode envelope's type and payload."""
    content_type = request.headers.get("content-type", [""])[0]
    if content_type.startswith("application/json"):
        return "events_api", json.loads(request.raw_body)
    form = dict(parse_qsl(request.raw_body, keep_blank_values=True))
    if "payload" in form:
        return "interactive", json.loads(form["payload"])
    return "slash_commands", form
