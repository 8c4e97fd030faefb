"""The stand-in's canvas methods: Slack's parameter names (as slack_sdk sends them), response shapes and error codes."""
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.standin import WebAPI

CHANNEL, ANA = "C0WORKSHOP", "U0ANA"
CONTENT = {"type": "markdown", "markdown": "# Plan\n\nIntro\n\n## Steps\n\n- one\n"}


@pytest.fixture
def web_api():
    with WebAPI() as web_api:
        web_api.add_user(ANA, "ana")
        web_api.add_channel(CHANNEL, "workshop", [ANA])
        yield web_api


@pytest.fixture
def client(web_api):
    return WebClient(token="xoxb-stand-in", base_url=web_api.base_url)


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return raised.value.response["error"]


def test_a_channel_canvas_is_made_once_per_channel(web_api, client):
    made = client.conversations_canvases_create(channel_id=CHANNEL, title="Plan", document_content=CONTENT)
    assert made["ok"] and made["canvas_id"].startswith("F")
    (canvas,) = web_api.canvases()
    assert canvas["markdown"] == CONTENT["markdown"] and canvas["tab_channel"] == CHANNEL
    info = client.conversations_info(channel=CHANNEL)["channel"]
    assert info["properties"]["canvas"]["file_id"] == made["canvas_id"]
    assert error_of(lambda: client.conversations_canvases_create(channel_id=CHANNEL, document_content=CONTENT)) \
        == "channel_canvas_already_exists"
    assert error_of(lambda: client.conversations_canvases_create(channel_id="C0NOPE", document_content=CONTENT)) \
        == "channel_not_found"


def test_what_the_plan_allows(web_api, client):
    web_api.set_canvas_plan(channel_canvases=False)
    assert error_of(lambda: client.conversations_canvases_create(channel_id=CHANNEL, document_content=CONTENT)) \
        == "team_tier_cannot_create_channel_canvases"
    client.canvases_create(title="Mine", channel_id=CHANNEL, document_content=CONTENT)
    assert error_of(lambda: client.canvases_create(channel_id=CHANNEL)) == "free_team_canvas_tab_already_exists"
    web_api.set_canvas_plan(restricted=True)
    assert error_of(lambda: client.canvases_create(title="x")) == "restricted_action"
    web_api.set_canvas_plan(canvases=False)
    assert error_of(lambda: client.canvases_create(title="x")) == "canvas_disabled_user_team"


def test_edits_replace_insert_delete_and_rename_by_section(web_api, client):
    canvas_id = client.canvases_create(title="Plan", document_content=CONTENT)["canvas_id"]
    sections = client.canvases_sections_lookup(canvas_id=canvas_id,
                                               criteria={"section_types": ["h2"], "contains_text": "Steps"})["sections"]
    assert len(sections) == 1 and sections[0]["id"].startswith("temp:C:")
    steps = sections[0]["id"]
    client.canvases_edit(canvas_id=canvas_id, changes=[{
        "operation": "insert_before", "section_id": steps,
        "document_content": {"type": "markdown", "markdown": "## Why\n\nBecause\n\n"}}])
    client.canvases_edit(canvas_id=canvas_id, changes=[{"operation": "delete", "section_id": steps}])
    client.canvases_edit(canvas_id=canvas_id, changes=[{"operation": "rename",
                                                        "title_content": {"type": "markdown", "markdown": "Plan B"}}])
    (canvas,) = web_api.canvases()
    assert canvas["markdown"] == "# Plan\n\nIntro\n\n## Why\n\nBecause\n\n" and canvas["title"] == "Plan B"
    client.canvases_edit(canvas_id=canvas_id, changes=[{"operation": "replace", "document_content": CONTENT}])
    assert web_api.canvases()[0]["markdown"] == CONTENT["markdown"] and web_api.canvases()[0]["edits"] == 4
    two = [{"operation": "insert_at_end", "document_content": CONTENT}] * 2
    assert error_of(lambda: client.canvases_edit(canvas_id=canvas_id, changes=two)) == "invalid_arguments"
    bad = [{"operation": "replace", "document_content": {"type": "blocks", "markdown": "x"}}]
    assert error_of(lambda: client.canvases_edit(canvas_id=canvas_id, changes=bad)) == "invalid_arguments"
    assert error_of(lambda: client.canvases_edit(canvas_id="F0NOPE", changes=two[:1])) == "canvas_not_found"


def test_access_and_deleting(web_api, client):
    canvas_id = client.canvases_create(title="Plan", document_content=CONTENT)["canvas_id"]
    client.canvases_access_set(canvas_id=canvas_id, access_level="read", channel_ids=[CHANNEL])
    assert web_api.canvases()[0]["access"][CHANNEL] == "read"
    assert error_of(lambda: client.canvases_access_set(canvas_id=canvas_id, access_level="read",
                                                       channel_ids=[CHANNEL], user_ids=[ANA])) == "invalid_arguments"
    assert error_of(lambda: client.canvases_access_set(canvas_id=canvas_id, access_level="owner",
                                                       channel_ids=[CHANNEL])) == "invalid_arguments"
    assert error_of(lambda: client.canvases_access_set(canvas_id=canvas_id, access_level="write",
                                                       channel_ids=["C0NOPE"])) == "channel_not_found"
    client.canvases_delete(canvas_id=canvas_id)
    assert web_api.canvases() == []
    assert error_of(lambda: client.canvases_delete(canvas_id=canvas_id)) == "canvas_not_found"
