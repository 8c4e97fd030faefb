"""People: plays the people in a channel, and Slack itself, against a real Bolt app.

Each action (a slash command, a message, a click, a modal submission...) becomes the request Slack
would send: Slack's body shape, Slack's encoding, a real `X-Slack-Signature`. It goes to the app in
process (`app.dispatch`) or over HTTP, and returns once the app's listeners have finished, so the
caller sees the final state in the WebAPI.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from contextlib import contextmanager
from typing import Any, Callable, Iterator
from urllib.error import HTTPError
from urllib.parse import parse_qsl, urlencode

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.standin import payloads
from bot.standin.executor import TrackingExecutor
from bot.standin.payloads import AppInstall
from bot.standin.state import block_elements
from bot.standin.webapi import WebAPI

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

Send = Callable[[str, dict], BoltResponse]


class ListenerError(AssertionError):
    """One or more exceptions were raised inside the app while it handled a request."""

    def __init__(self, errors: list[BaseException]):
        super().__init__("; ".join(f"{type(e).__name__}: {e}" for e in errors))
        self.errors = errors


class People:
    def __init__(self, web_api: WebAPI, app: App | Callable[[BoltRequest], BoltResponse] | str, *,
                 signing_secret: str, team_id: str | None = None, channel: str = "C0WORKSHOP",
                 listener_executor: TrackingExecutor | None = None, raise_listener_errors: bool = True,
                 idle_timeout: float = 10):
        """`app`: a Bolt App, a callable taking a BoltRequest, or a URL to POST requests to (HTTP mode).

        `listener_executor` is the one the app was built with; without it, requests return right after the ack.
        """
        self.web_api = web_api
        self._send_raw = _over_http(app) if isinstance(app, str) else _in_process(getattr(app, "dispatch", app))
        self.install = AppInstall(team_id or web_api.team_id, web_api.state.domain, web_api.state.app_id, web_api.bot_user_id)
        self.channel = channel
        self.executor = listener_executor
        self.raise_listener_errors = raise_listener_errors
        self.idle_timeout = idle_timeout
        self.last_response: BoltResponse | None = None
        self._secret = signing_secret
        self._signing_override: tuple[str | None, float | None] = (None, None)
        self._last_event: str | None = None
        self._last_request: tuple[str, str] | None = None
        self._retries = 0
        self._logged_errors = _ErrorCollector()
        if isinstance(getattr(app, "logger", None), logging.Logger):
            app.logger.addHandler(self._logged_errors)  # Bolt's default error handlers log listener exceptions here

    # ---- people --------------------------------------------------------------------------------------

    def slash(self, user: str, text: str, *, channel: str | None = None, command: str = "/journey") -> BoltResponse:
        channel = channel or self.channel
        form = payloads.slash_command_form(
            self.install, user=self.web_api.user(user), channel_id=channel, channel_name=self.web_api.channel_name(channel),
            command=command, text=text, response_url=self.web_api.response_url(channel, user),
            trigger_id=self.web_api.issue_trigger(user))
        return self._send(urlencode(form), FORM, on_ack=lambda response: self._show_command_ack(response, channel, user))

    def _show_command_ack(self, response: BoltResponse, channel: str, user: str) -> None:
        if response.status == 200 and response.body:
            self.web_api.show_command_response(channel, user, _json_or_text(response.body))

    def say(self, user: str, text: str, *, channel: str | None = None, thread_ts: str | None = None,
            broadcast: bool = False) -> dict:
        """Posts as `user` (visible in WebAPI) and sends the message event; returns the stored message (its ts)."""
        channel = channel or self.channel
        message = self.web_api.post_as_user(user, channel, payloads.user_message(text), thread_ts=thread_ts,
                                         broadcast=broadcast)
        self.event(payloads.message_event(message, channel_id=channel, channel_type=self.web_api.channel_type(channel)))
        return message

    def edit(self, user: str, channel: str, ts: str, new_text: str) -> BoltResponse:
        previous, current = self.web_api.edit_as_user(user, channel, ts, payloads.user_message(new_text))
        return self.event(payloads.message_changed_event(
            previous, current, channel_id=channel, channel_type=self.web_api.channel_type(channel),
            event_ts=self.web_api.new_ts()))

    def delete(self, user: str, channel: str, ts: str) -> BoltResponse:
        previous = self.web_api.delete_as_user(user, channel, ts)
        return self.event(payloads.message_deleted_event(
            previous, channel_id=channel, channel_type=self.web_api.channel_type(channel), event_ts=self.web_api.new_ts()))

    def open_home(self, user: str) -> BoltResponse:
        return self.event(payloads.app_home_opened_event(
            user, channel_id=self.web_api.im_channel(user), view=self.web_api.home(user), event_ts=self.web_api.new_ts()))

    def click(self, user: str, *, message_ts: str, action_id: str, value: Any = None,
              channel: str | None = None) -> BoltResponse:
        """Clicks (or selects `value` in) the element with action_id in a channel message or the user's ephemeral."""
        channel = channel or self.channel
        message, is_ephemeral = self.web_api.clickable_message(user, channel, message_ts)
        container = {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": is_ephemeral}
        if message.get("thread_ts"):
            container["thread_ts"] = message["thread_ts"]
        surface = {"channel": {"id": channel, "name": self.web_api.channel_name(channel)},
                   "response_url": self.web_api.response_url(channel, user, message_ts=message_ts,
                                                          is_ephemeral=is_ephemeral)}
        if not is_ephemeral:
            surface["message"] = message  # Slack leaves ephemeral messages out of the payload
        return self._act(user, message["blocks"], action_id, value, container, surface)

    def click_in_view(self, user: str, view_id: str, action_id: str, value: Any = None) -> BoltResponse:
        """Clicks an element in an open modal or in the user's Home tab."""
        view = self.web_api.view(view_id)
        return self._act(user, view["blocks"], action_id, value, {"type": "view", "view_id": view_id}, {"view": view})

    def _act(self, user: str, blocks: list, action_id: str, value: Any, container: dict, surface: dict) -> BoltResponse:
        block_id, element = find_element(blocks, action_id)
        payload = payloads.block_actions_payload(
            self.install, user=self.web_api.user(user), container=container, surface=surface,
            action=payloads.action_entry(element, block_id, value, self.web_api.new_ts()),
            trigger_id=self.web_api.issue_trigger(user))
        return self._send(_interaction(payload), FORM)

    def submit(self, user: str, view_id: str, values: dict[str, Any]) -> dict[str, str]:
        """Fills the modal's inputs (keyed by block_id or action_id) and presses Submit.

        Returns the errors the app acked with (the modal then stays open), or {} when it was accepted.
        Untouched inputs keep their initial value; an empty required input raises, as Slack would not submit.
        """
        view = self._open_view(user, view_id)
        payload = payloads.view_submission_payload(
            self.install, user=self.web_api.user(user), view=view, state_values=view_state(view["blocks"], values),
            trigger_id=self.web_api.issue_trigger(user))
        errors: dict[str, str] = {}

        def apply_response_action(response: BoltResponse) -> None:
            nonlocal errors
            errors = self._apply_response_action(user, view_id, response)

        self._send(_interaction(payload), FORM, on_ack=apply_response_action)
        return errors

    def _apply_response_action(self, user: str, view_id: str, response: BoltResponse) -> dict[str, str]:
        if response.status != 200:
            return {}  # Slack shows a generic error and keeps the modal open
        ack = _json_or_text(response.body) if response.body else {}
        action = ack.get("response_action")
        if action == "errors":
            return ack["errors"]
        if action == "update":
            self.web_api.replace_view(view_id, ack["view"])
        elif action == "push":
            self.web_api.push_view(user, ack["view"])
        elif action == "clear":
            self.web_api.clear_views(user)
        else:
            self.web_api.close_view(view_id)
        return {}

    def close_view(self, user: str, view_id: str) -> BoltResponse | None:
        """Presses Cancel; Slack tells the app (view_closed) only if the view asked with notify_on_close."""
        view = self._open_view(user, view_id)
        self.web_api.close_view(view_id)
        if not view["notify_on_close"]:
            return None
        payload = payloads.view_closed_payload(self.install, user=self.web_api.user(user), view=view)
        return self._send(_interaction(payload), FORM)

    def _open_view(self, user: str, view_id: str) -> dict:
        for view in self.web_api.open_views(user):
            if view["id"] == view_id:
                return view
        raise LookupError(f"{user} has no open view {view_id}")

    # ---- Slack itself ---------------------------------------------------------------------------------

    def event(self, event: dict) -> BoltResponse:
        """Sends any event (app_uninstalled, tokens_revoked, ...) in an event_callback envelope."""
        envelope = payloads.event_callback(self.install, event, event_id=f"Ev{self.web_api.new_ts().replace('.', '')}",
                                           event_time=int(self.web_api.now()))
        self._last_event, self._retries = json.dumps(envelope), 0
        return self._send(self._last_event, JSON)

    def retry_last(self, reason: str = "http_timeout") -> BoltResponse:
        """Re-sends the last event as Slack's retry does: same event_id, X-Slack-Retry-Num counting up."""
        if self._last_event is None:
            raise LookupError("no event has been sent yet")
        self._retries += 1
        retry = {"x-slack-retry-num": str(self._retries), "x-slack-retry-reason": reason}
        return self._send(self._last_event, JSON, extra_headers=retry)

    def replay(self, edit: Callable[[dict], None] | None = None) -> BoltResponse:
        """Sends the last request again, signed afresh: a double click or a second delivery of the same thing.

        `edit` changes the decoded request in place first (the interaction payload, the event envelope or the
        slash command's fields), to send what a forger, or a buggy client, would.
        """
        if self._last_request is None:
            raise LookupError("nothing has been sent yet")
        body, content_type = self._last_request
        return self._send(_edited(body, content_type, edit) if edit else body, content_type)

    @contextmanager
    def signing(self, *, secret: str | None = None, timestamp: float | None = None) -> Iterator[None]:
        """Within the block, sign with another secret and/or request timestamp (to test verification)."""
        saved = self._signing_override
        self._signing_override = (secret, timestamp)
        try:
            yield
        finally:
            self._signing_override = saved

    # ---- sending -------------------------------------------------------------------------------------

    def _send(self, body: str, content_type: str, *, on_ack: Callable[[BoltResponse], None] | None = None,
              extra_headers: dict | None = None) -> BoltResponse:
        self._last_request = (body, content_type)
        headers = {"content-type": content_type, **self._signature(body), **(extra_headers or {})}
        response = self._send_raw(body, headers)
        self.last_response = response
        if on_ack:
            on_ack(response)  # what Slack does with the ack happens before the listeners finish
        if self.executor:
            self.executor.wait_idle(self.idle_timeout)
        if self.raise_listener_errors:
            self.raise_errors()
        return response

    def _signature(self, body: str) -> dict:
        secret, timestamp = self._signing_override
        timestamp = str(int(timestamp if timestamp is not None else time.time()))
        signature = SignatureVerifier(secret or self._secret).generate_signature(timestamp=timestamp, body=body)
        return {"x-slack-request-timestamp": timestamp, "x-slack-signature": signature}

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions raised in the app so far and not yet raised by raise_errors()."""
        return [*self._logged_errors.errors, *(self.executor.errors if self.executor else [])]

    def raise_errors(self) -> None:
        errors = self.errors
        self._logged_errors.errors.clear()
        if self.executor:
            self.executor.errors.clear()
        if errors:
            raise ListenerError(errors)


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        # Bolt logs a failed lazy listener as a plain message, without the exception itself.
        has_exception = record.exc_info and record.exc_info[1] is not None
        self.errors.append(record.exc_info[1] if has_exception else RuntimeError(record.getMessage()))


def find_element(blocks: list[dict], action_id: str) -> tuple[str, dict]:
    """(block_id, element) of the interactive element with this action_id."""
    for block in blocks:
        for element in block_elements(block):
            if element.get("action_id") == action_id:
                return block["block_id"], element
    raise LookupError(f"no element with action_id {action_id!r}")


def view_state(blocks: list[dict], values: dict[str, Any]) -> dict:
    """view.state.values as Slack builds it: every input block, keyed by block_id, then action_id."""
    remaining = dict(values)
    state = {}
    for block in (b for b in blocks if b.get("type") == "input"):
        element = block["element"]
        key = next((k for k in (block["block_id"], element["action_id"]) if k in remaining), None)
        value = remaining.pop(key) if key else payloads.initial_value(element)
        if value in (None, "", []) and not block.get("optional", False):
            raise ValueError(f"input {block['block_id']!r} is required; Slack would not submit the view")
        state[block["block_id"]] = {element["action_id"]: {"type": element["type"],
                                                           **payloads.element_selection(element, value)}}
    if remaining:
        raise LookupError(f"the view has no input {sorted(remaining)}")
    return state


def _interaction(payload: dict) -> str:
    """Interactivity arrives form-encoded, with the JSON in a field called payload."""
    return urlencode({"payload": json.dumps(payload)})


def _edited(body: str, content_type: str, edit: Callable[[dict], None]) -> str:
    if content_type == JSON:
        decoded = json.loads(body)
        edit(decoded)
        return json.dumps(decoded)
    form = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" not in form:  # a slash command: the fields themselves
        edit(form)
        return urlencode(form)
    payload = json.loads(form["payload"])
    edit(payload)
    return _interaction(payload)


def _json_or_text(body: str) -> dict:
    try:
        parsed = json.loads(body)
    except json.JSONDecodeError:
        return {"text": body}
    return parsed if isinstance(parsed, dict) else {"text": body}


def _in_process(dispatch: Callable[[BoltRequest], BoltResponse]) -> Send:
    return lambda body, headers: dispatch(BoltRequest(body=body, headers=headers))


def _over_http(url: str) -> Send:
    def send(body: str, headers: dict) -> BoltResponse:
        request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return BoltResponse(status=response.status, body=response.read().decode(), headers=dict(response.headers))
        except HTTPError as error:
            return BoltResponse(status=error.code, body=error.read().decode(), headers=dict(error.headers))

    return send
