"""Request bodies in the shapes Slack sends to an app: one builder per payload type.

The structure follows the payloads in bolt-python's test suite (see ../shared/slack-reference/payloads);
IDs and values come from the caller. These are plain dicts; `workspace` encodes and signs them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

# element type -> the key its selection is reported under, in block_actions and in view state
SINGLE_OPTION_ELEMENTS = {"static_select", "radio_buttons", "overflow"}
MULTI_OPTION_ELEMENTS = {"checkboxes", "multi_static_select"}
PLAIN_VALUE_KEYS = {
    "plain_text_input": "value", "number_input": "value", "email_text_input": "value", "url_text_input": "value",
    "datepicker": "selected_date", "timepicker": "selected_time", "users_select": "selected_user",
    "multi_users_select": "selected_users", "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
}


@dataclass(frozen=True)
class AppInstall:
    """The team and app a request is for: what every payload carries besides the person and the content."""

    team_id: str
    team_domain: str
    api_app_id: str
    bot_user_id: str
    verification_token: str = "legacy-verification-token"  # deprecated by Slack, still sent

    def team(self) -> dict:
        return {"id": self.team_id, "domain": self.team_domain}


def person(install: AppInstall, user: dict) -> dict:
    return {"id": user["id"], "username": user["name"], "name": user["name"], "team_id": install.team_id}


# ---- slash commands and interactivity ----------------------------------------------------------------


def slash_command_form(install: AppInstall, *, user: dict, channel_id: str, channel_name: str, command: str,
                       text: str, response_url: str, trigger_id: str) -> dict[str, str]:
    return {"token": install.verification_token, "team_id": install.team_id, "team_domain": install.team_domain,
            "channel_id": channel_id, "channel_name": channel_name, "user_id": user["id"], "user_name": user["name"],
            "command": command, "text": text, "api_app_id": install.api_app_id, "is_enterprise_install": "false",
            "response_url": response_url, "trigger_id": trigger_id}


def block_actions_payload(install: AppInstall, *, user: dict, action: dict, container: dict, trigger_id: str,
                          surface: dict[str, Any]) -> dict:
    """`surface` is what Slack adds for where the click happened: channel/message/response_url, or view."""
    return {"type": "block_actions", "user": person(install, user), "api_app_id": install.api_app_id,
            "token": install.verification_token, "container": container, "trigger_id": trigger_id,
            "team": install.team(), "enterprise": None, "is_enterprise_install": False, **surface,
            "state": {"values": {}}, "actions": [action]}


def view_submission_payload(install: AppInstall, *, user: dict, view: dict, state_values: dict,
                            trigger_id: str) -> dict:
    return {"type": "view_submission", "team": install.team(), "user": person(install, user),
            "api_app_id": install.api_app_id, "token": install.verification_token, "trigger_id": trigger_id,
            "view": {**view, "state": {"values": state_values}}, "response_urls": [],
            "is_enterprise_install": False, "enterprise": None}


def view_closed_payload(install: AppInstall, *, user: dict, view: dict) -> dict:
    return {"type": "view_closed", "team": install.team(), "user": person(install, user),
            "api_app_id": install.api_app_id, "token": install.verification_token, "view": view,
            "is_cleared": False, "response_urls": [], "is_enterprise_install": False, "enterprise": None}


def element_selection(element: dict, value: Any) -> dict:
    """How a chosen value of an element appears in payloads, e.g. {"selected_option": {...}} for a select."""
    kind = element["type"]
    if kind in SINGLE_OPTION_ELEMENTS:
        return {"selected_option": None if value is None else find_option(element, value)}
    if kind in MULTI_OPTION_ELEMENTS:
        return {"selected_options": [find_option(element, v) for v in value or []]}
    if kind in PLAIN_VALUE_KEYS:
        return {PLAIN_VALUE_KEYS[kind]: value}
    raise NotImplementedError(f"the stand-in does not know how Slack reports a {kind!r} element")


def initial_value(element: dict) -> Any:
    """What an input holds before the user touches it, in the form `element_selection` takes."""
    if "initial_option" in element:
        return element["initial_option"]["value"]
    if "initial_options" in element:
        return [option["value"] for option in element["initial_options"]]
    return next((element[key] for key in element if key.startswith("initial_")), None)


def find_option(element: dict, value: str) -> dict:
    options = [*element.get("options", []), *(o for g in element.get("option_groups", []) for o in g["options"])]
    for option in options:
        if option["value"] == value:
            return option
    raise ValueError(f"{element.get('action_id')!r} has no option with value {value!r}")


def action_entry(element: dict, block_id: str, value: Any, action_ts: str) -> dict:
    """One item of block_actions' "actions": what the user did to the element."""
    entry = {"action_id": element["action_id"], "block_id": block_id, "type": element["type"], "action_ts": action_ts}
    if element["type"] == "button":
        text = {"emoji": True, **element["text"]}  # Slack reports plain_text with its emoji flag filled in
        return {**entry, "text": text, "value": element.get("value") if value is None else value}
    return {**entry, **element_selection(element, value)}


# ---- Events API -------------------------------------------------------------------------------------


def event_callback(install: AppInstall, event: dict, *, event_id: str, event_time: int) -> dict:
    return {"token": install.verification_token, "team_id": install.team_id, "api_app_id": install.api_app_id,
            "event": event, "type": "event_callback", "event_id": event_id, "event_time": event_time,
            "authorizations": [{"enterprise_id": None, "team_id": install.team_id, "user_id": install.bot_user_id,
                                "is_bot": True, "is_enterprise_install": False}],
            "is_ext_shared_channel": False, "event_context": f"4-{event_id}"}


def message_event(message: dict, *, channel_id: str, channel_type: str) -> dict:
    """A `message` event for a stored message (thread replies and broadcasts keep their thread fields)."""
    event = {key: value for key, value in message.items() if key not in ("reactions", "reply_count", "reply_users",
                                                                       "reply_users_count", "latest_reply")}
    return {**event, "channel": channel_id, "event_ts": message["ts"], "channel_type": channel_type}


def message_changed_event(previous: dict, current: dict, *, channel_id: str, channel_type: str,
                          event_ts: str) -> dict:
    return {"type": "message", "subtype": "message_changed", "message": current, "previous_message": previous,
            "channel": channel_id, "hidden": True, "ts": event_ts, "event_ts": event_ts, "channel_type": channel_type}


def message_deleted_event(previous: dict, *, channel_id: str, channel_type: str, event_ts: str) -> dict:
    return {"type": "message", "subtype": "message_deleted", "previous_message": previous, "channel": channel_id,
            "hidden": True, "deleted_ts": previous["ts"], "event_ts": event_ts, "ts": event_ts,
            "channel_type": channel_type}


def app_home_opened_event(user_id: str, *, channel_id: str, view: dict | None, event_ts: str) -> dict:
    event = {"type": "app_home_opened", "user": user_id, "channel": channel_id, "tab": "home", "event_ts": event_ts}
    return {**event, "view": view} if view else event


def user_message(text: str) -> dict:
    """The fields Slack stores for a message a person types: the text, its rich_text rendering, a client id."""
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    return {"text": text, "client_msg_id": str(uuid.uuid4()),
            "blocks": [{"type": "rich_text", "block_id": uuid.uuid4().hex[:5], "elements": [section]}]}
