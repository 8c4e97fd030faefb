"""manifest.yml creates a Slack app that passes Slack's schema and asks for exactly what the code uses."""
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())

# The bot scope each Web API method needs (api.slack.com/methods); views.* and auth.test need none.
METHOD_SCOPES = {
    "chat_postMessage": "chat:write", "chat_update": "chat:write", "chat_delete": "chat:write",
    "chat_postEphemeral": "chat:write", "chat_scheduleMessage": "chat:write",
    "chat_deleteScheduledMessage": "chat:write", "reactions_add": "reactions:write", "users_info": "users:read",
    "files_upload_v2": "files:write", "conversations_members": "channels:read", "conversations_info": "channels:read",
    "conversations_open": "im:write", "conversations_join": "channels:join", "views_open": None, "views_update": None, "views_publish": None,
    "views_push": None, "chat_getPermalink": None, "auth_test": None,
    "conversations_canvases_create": "canvases:write", "canvases_create": "canvases:write",
    "canvases_edit": "canvases:write", "canvases_access_set": "canvases:write", "canvases_delete": "canvases:write",
    "apps_connections_open": None,  # Socket Mode: the app-level token's connections:write, not a bot scope
}
# The scope each subscribed event needs; message events come in per kind of conversation.
EVENT_SCOPES = {"message.channels": "channels:history", "message.groups": "groups:history",
                "app_home_opened": None, "app_uninstalled": None, "tokens_revoked": None}
BOLT_EVENTS = {"message": {"message.channels", "message.groups"}, "app_home_opened": {"app_home_opened"},
               "app_uninstalled": {"app_uninstalled"}, "tokens_revoked": {"tokens_revoked"}}
# Needed for behaviour no single call shows: the slash command itself, posting prompts in public
# channels the bot was not invited to, and seeing private channels' members where channels:read is needed.
POLICY_SCOPES = {"commands", "chat:write.public"}


def bot_source() -> str:
    return "\n".join(path.read_text() for path in (ROOT / "bot").rglob("*.py") if "standin" not in path.parts)


def test_the_manifest_passes_slacks_own_schema(slack_reference):
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource

    schemas = slack_reference / "manifest-schema"
    registry = Registry()
    for version in ("1.0.0", "2.0.0"):
        local = json.loads((schemas / "v0.5.0" / "schemas" / f"manifest.schema.{version}.json").read_text())
        url = f"https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.{version}.json"
        registry = registry.with_resource(url, Resource.from_contents(local))
    validator = jsonschema.Draft7Validator(json.loads((schemas / "manifest.schema.json").read_text()), registry=registry)
    assert [error.message for error in validator.iter_errors(MANIFEST)] == []
    invalid = json.loads((schemas / "tests" / "manifests" / "v1" / "manifest.invalid.json").read_text())
    assert list(validator.iter_errors(invalid)), "the schema check must be able to fail"


def test_the_manifest_asks_for_exactly_the_scopes_the_code_uses():
    source = bot_source()
    called = set(re.findall(r"client\.(\w+)\(", source))
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add the scopes of {unknown} to METHOD_SCOPES"
    events = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
    needed = {METHOD_SCOPES[m] for m in called} | {EVENT_SCOPES[e] for e in events} | POLICY_SCOPES
    if "conversations_members" in called:
        needed.add("groups:read")
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed - {None}


def test_the_manifest_subscribes_to_exactly_the_events_the_app_listens_to():
    listened = set(re.findall(r"app\.event\(\"(\w+)\"\)", bot_source()))
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == set().union(
        *(BOLT_EVENTS[event] for event in listened))


def test_the_manifest_has_the_slash_command_and_interactivity_the_app_registers():
    source = bot_source()
    commands = {command["command"] for command in MANIFEST["features"]["slash_commands"]}
    assert commands == set(re.findall(r"app\.command\(\"(/\w+)\"\)", source))
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] == bool(re.search(r"app\.(action|view)\(", source))


def test_the_usage_hint_names_every_journey_subcommand():
    from flows.commands import SUBCOMMANDS

    [journey] = MANIFEST["features"]["slash_commands"]
    named = set(re.findall(r"(?:^|\| )([a-z]+)", journey["usage_hint"]))
    assert named == set(SUBCOMMANDS)
