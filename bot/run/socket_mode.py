"""Socket Mode: `journeybot run` keeps one WebSocket connection to Slack open, through drops and refreshes.

Why not one of Bolt's synchronous SocketModeHandlers (slack_sdk 3.48; `python -m bench.socket_mode`
measures all three against the stand-in): the built-in client, after an abrupt TCP close, keeps reading
the dead socket in a loop without a pause until its ping check gives up about a minute later (51–59 s); on
Slack's routine `disconnect` (refresh_requested) it closes the old connection, waiting out a 3 s read
timeout, before it reads the new one, so the first envelope there is acknowledged after 3.0–3.1 s, too late
for Slack. The websocket-client flavour opens two connections at start-up and several on a refresh, closes
the refreshed connection at once (envelopes still on it are never acknowledged), and never notices a
connection that goes silent without closing. This runner is the small loop journeybot needs, on
websocket-client:

- a closed or silent connection (no frame, not even a pong, within two ping intervals) is replaced at once,
  then after 1, 2, 4 ... 30 s while Slack cannot be reached; a wait blocks, it never spins;
- on `disconnect` the new connection is opened first and read at once; the old one is drained (its
  envelopes still handled and acknowledged) and closed in the background;
- every envelope goes through `app.dispatch` in a worker thread and is acknowledged with Bolt's response
  only afterwards, so with process_before_response an acknowledged answer is stored (as over HTTP), and
  what Bolt refuses is not acknowledged (Slack then retries an event, as after an HTTP error).

The operator sees a log line on every connect, refresh and loss, and `/healthz` on an optional port.
"""
from __future__ import annotations

import json
import logging
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from wsgiref.simple_server import WSGIRequestHandler, make_server

import websocket
from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine

from bot.run.startup import limit_malloc_arenas
from bot.run.wsgi import HEALTH_PATH, DatabaseProbe, health
from bot.wiring.app import make_web_client
from bot.wiring.settings import Settings, SettingsError

logger = logging.getLogger("journeybot.socket_mode")

# apps.connections.open errors that another try will not fix: the app token is wrong or the app is gone
UNRECOVERABLE = {"not_authed", "invalid_auth", "account_inactive", "user_removed_from_team", "team_disabled",
                 "not_allowed_token_type", "token_revoked"}
MAX_BACKOFF = 30.0
DRAIN_SECONDS = 10.0  # Slack closes a refreshed connection itself a few seconds after the new one is up


def run_socket_mode(app: App, settings: Settings, engine: Engine) -> None:
    """`journeybot run`: serves Slack over Socket Mode until the process is stopped."""
    limit_malloc_arenas()
    runner = SocketModeRunner(app, settings.app_token, make_web_client(settings))
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())  # a supervisor's stop: finish what is in hand
    if settings.health_address:
        serve_health(runner, engine, *settings.health_host_port)
    try:
        runner.run()
    except AppTokenRefused as refusal:
        raise SettingsError(f"Slack refused SLACK_APP_TOKEN ({refusal}); generate an app-level token with the "
                            "connections:write scope (Basic Information → App-Level Tokens) and set it again."
                            ) from None


def serve_health(runner: SocketModeRunner, engine: Engine, host: str, port: int) -> None:
    """GET /healthz on host:port in a background thread: 200 while connected to Slack and the database answers."""
    probe = DatabaseProbe(engine)

    def application(environ: dict, start_response):
        if environ.get("PATH_INFO") != HEALTH_PATH:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        return health(probe, start_response, connection_problem=runner.problem())

    try:
        server = make_server(host, port, application, handler_class=_QuietHandler)
    except OSError as error:
        raise SettingsError(f"JOURNEYBOT_HEALTH_PORT: cannot listen on {host}:{port} ({error.strerror}); "
                            "choose another port.") from None
    threading.Thread(target=server.serve_forever, name="socket-mode-health", daemon=True).start()
    logger.info("Socket Mode: health check on http://%s:%d%s", host, port, HEALTH_PATH)


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args) -> None:
        """Probes every few seconds would drown the log; the connection's own lines say what matters."""


class AppTokenRefused(Exception):
    """Slack refused the app-level token; retrying will not help."""


@dataclass
class ConnectionStatus:
    """What /healthz and the log tell the operator."""

    connected: bool = False
    since: float = 0.0  # time.time() of the last change
    connections_made: int = 0
    last_problem: str = ""


class SocketModeRunner:
    def __init__(self, app: App, app_token: str, web_client: WebClient, *, workers: int = 10,
                 ping_interval: float = 5.0):
        """`web_client` asks apps.connections.open, with the app-level token (xapp-), for connection URLs."""
        self.app, self.app_token = app, app_token
        self.web_client = web_client
        self.ping_interval = ping_interval
        self.status = ConnectionStatus(since=time.time())
        self._workers = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="socket-mode")
        self._stopping = threading.Event()
        self._current: websocket.WebSocket | None = None
        self._failures = 0  # since the last hello: the wait before the next try grows with them

    def run(self) -> None:
        """Connects and keeps connected until stop(); raises AppTokenRefused when Slack refuses the token."""
        try:
            while not self._stopping.is_set():
                try:
                    connection = self._open()
                except (SlackApiError, websocket.WebSocketException, OSError) as error:
                    self._lost(f"could not connect ({_describe(error)})")
                    continue
                while connection is not None:  # a refresh hands over to the next connection without a pause
                    connection = self._read_until_refresh(connection)
        finally:
            self._workers.shutdown(wait=True)  # the envelopes in hand are still handled and acknowledged

    def stop(self) -> None:
        """Makes run() return once the envelopes in hand are acknowledged (from another thread or a signal)."""
        logger.info("Socket Mode: stopping; finishing the requests in hand")
        self._stopping.set()
        if self._current:
            self._current.abort()

    def problem(self) -> str | None:
        """Why the bot cannot hear Slack right now, or None while connected."""
        if self.status.connected:
            return None
        since = time.strftime("%H:%M:%S", time.localtime(self.status.since))
        return f"Socket Mode: not connected since {since} ({self.status.last_problem or 'connecting'})"

    # ---- connections -----------------------------------------------------------------------------------

    def _open(self) -> websocket.WebSocket:
        try:
            url = self.web_client.apps_connections_open(app_token=self.app_token)["url"]
        except SlackApiError as error:
            if error.response.get("error") in UNRECOVERABLE:
                raise AppTokenRefused(error.response["error"]) from error
            raise
        connection = websocket.create_connection(url, timeout=self.ping_interval, enable_multithread=True)
        self._current = connection
        return connection

    def _read_until_refresh(self, connection: websocket.WebSocket) -> websocket.WebSocket | None:
        """Serves `connection`; returns the new connection when Slack asks for a refresh, None when it is lost."""
        try:
            for message in self._messages(connection, until=None):
                if message.get("type") == "hello":
                    self._connected()
                elif message.get("type") == "disconnect":
                    logger.info("Socket Mode: Slack asked for a new connection (%s); connecting",
                                message.get("reason", "no reason given"))
                    new_connection = self._open()
                    threading.Thread(target=self._drain, args=(connection,), name="socket-mode-drain",
                                     daemon=True).start()
                    return new_connection
                else:
                    self._workers.submit(self._handle, connection, message)
        except (SlackApiError, websocket.WebSocketException, OSError, ValueError) as error:  # ValueError: not JSON
            connection.shutdown()
            self._lost(f"connection lost ({_describe(error)})")
        return None

    def _messages(self, connection: websocket.WebSocket, *, until: float | None):
        """Slack's JSON messages on `connection`; ends when it closes (or at `until`); raises when it goes silent."""
        unanswered_pings = 0
        while not self._stopping.is_set() and (until is None or time.monotonic() < until):
            try:
                opcode, frame = connection.recv_data_frame(control_frame=True)
            except websocket.WebSocketTimeoutException:
                if unanswered_pings:
                    raise websocket.WebSocketTimeoutException(f"no answer to a ping in {self.ping_interval:g} s")
                connection.ping()
                unanswered_pings += 1
                continue
            unanswered_pings = 0
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                raise websocket.WebSocketConnectionClosedException("Slack closed the connection")
            if opcode == websocket.ABNF.OPCODE_TEXT:
                yield json.loads(frame.data)

    def _drain(self, connection: websocket.WebSocket) -> None:
        """Handles what still arrives on a refreshed connection, then closes it."""
        try:
            for message in self._messages(connection, until=time.monotonic() + DRAIN_SECONDS):
                if "envelope_id" in message:
                    self._workers.submit(self._handle, connection, message)
        except (websocket.WebSocketException, OSError):
            pass  # Slack closed it first: that is the normal end of a refreshed connection
        finally:
            connection.close(timeout=1)

    # ---- envelopes ---------------------------------------------------------------------------------------

    def _handle(self, connection: websocket.WebSocket, envelope: dict) -> None:
        headers = {}
        if envelope.get("retry_attempt"):
            headers = {"x-slack-retry-num": str(envelope["retry_attempt"]),
                       "x-slack-retry-reason": envelope.get("retry_reason", "")}
        try:
            response = self.app.dispatch(BoltRequest(mode="socket_mode", body=envelope["payload"], headers=headers))
        except Exception:  # Bolt answers listener errors with a 500 itself; this is anything beyond that
            logger.exception("Socket Mode: could not handle a %s envelope", envelope.get("type"))
            return
        if response.status != 200:
            logger.info("Socket Mode: not acknowledging a %s envelope (Bolt answered %s)",
                        envelope.get("type"), response.status)
            return
        self._acknowledge(connection, {"envelope_id": envelope["envelope_id"], **_ack_payload(response)})

    def _acknowledge(self, connection: websocket.WebSocket, ack: dict) -> None:
        """On the connection the envelope came on; if that one has just gone, on the current one."""
        message = json.dumps(ack)
        current = self._current
        for target in [connection] if current in (None, connection) else [connection, current]:
            try:
                target.send(message)
                return
            except (websocket.WebSocketException, OSError):
                continue
        logger.warning("Socket Mode: could not acknowledge envelope %s: no open connection", ack["envelope_id"])

    # ---- what the operator sees ----------------------------------------------------------------------

    def _connected(self) -> None:
        status = self.status
        status.connections_made += 1
        if status.connections_made == 1:
            logger.info("Socket Mode: connected to Slack")
        elif status.connected:
            logger.info("Socket Mode: switched to a new connection (connection %d)", status.connections_made)
        else:
            logger.info("Socket Mode: reconnected to Slack after %.1f s (%s)", time.time() - status.since,
                        status.last_problem)
        status.connected, status.since = True, time.time()
        self._failures = 0

    def _lost(self, problem: str) -> None:
        if self._stopping.is_set():
            return
        self._failures += 1
        retry_in = _backoff(self._failures)
        status = self.status
        if status.connected:
            status.connected, status.since = False, time.time()
        status.last_problem = problem
        logger.warning("Socket Mode: %s; %s", problem,
                       f"retrying in {retry_in:g} s" if retry_in else "reconnecting now")
        self._stopping.wait(retry_in)


def _ack_payload(response: BoltResponse) -> dict:
    """Bolt's ack body as the envelope's response payload (a command's reply, a modal's errors)."""
    if not response.body:
        return {}
    if response.headers.get("content-type", [""])[0].startswith("application/json"):
        return {"payload": json.loads(response.body)}
    return {"payload": {"text": response.body}}


def _backoff(failures: int) -> float:
    """0 s after the first failure (a dropped connection usually comes straight back), then 1, 2, 4 ... 30 s."""
    return 0.0 if failures <= 1 else min(MAX_BACKOFF, 2.0 ** (failures - 2))


def _describe(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return f"apps.connections.open: {error.response.get('error')}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
