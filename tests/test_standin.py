"""The Slack stand-in against a tiny but real Bolt app: signatures, payload shapes, Web API behaviour, faults."""

import json
import threading
import time
import urllib.request
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.standin import WebAPI, ListenerError, People
from bot.standin.methods import METHODS
from bot.standin.socket_mode import SocketModeServer

SECRET = "standin-signing-secret"
CHANNEL, LEAD, ANA = "C0WORKSHOP", "U0LEAD", "U0ANA"

PERSONA_MODAL = {
    "type": "modal", "callback_id": "persona", "private_metadata": "workshop-1", "notify_on_close": True,
    "title": {"type": "plain_text", "text": "Persona"}, "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {"type": "input", "block_id": "name", "label": {"type": "plain_text", "text": "Name"},
         "element": {"type": "plain_text_input", "action_id": "name_input"}},
        {"type": "input", "block_id": "stage", "label": {"type": "plain_text", "text": "Stage"},
         "element": {"type": "static_select", "action_id": "stage_select", "options": [
             {"text": {"type": "plain_text", "text": "Aware"}, "value": "aware"},
             {"text": {"type": "plain_text", "text": "Buy"}, "value": "buy"}]}},
        {"type": "input", "block_id": "tone", "label": {"type": "plain_text", "text": "Tone"},
         "element": {"type": "radio_buttons", "action_id": "tone_radio",
                     "initial_option": {"text": {"type": "plain_text", "text": "Warm"}, "value": "warm"},
                     "options": [{"text": {"type": "plain_text", "text": "Warm"}, "value": "warm"},
                                 {"text": {"type": "plain_text", "text": "Cool"}, "value": "cool"}]}},
        {"type": "input", "block_id": "pains", "optional": True, "label": {"type": "plain_text", "text": "Pains"},
         "element": {"type": "checkboxes", "action_id": "pains_check", "options": [
             {"text": {"type": "plain_text", "text": "Price"}, "value": "price"},
             {"text": {"type": "plain_text", "text": "Time"}, "value": "time"}]}},
    ],
}
JOIN_BLOCKS = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "A workshop has started"}},
    {"type": "actions", "elements": [{"type": "button", "action_id": "join", "value": "workshop-1",
                                      "text": {"type": "plain_text", "text": "Join"}}]},
]


@pytest.fixture
def web_api():
    with WebAPI() as web_api:
        web_api.add_user(LEAD, "lead", "Lea Lead")
        web_api.add_user(ANA, "ana", "Ana Alvarez", tz="America/Sao_Paulo")
        web_api.add_channel(CHANNEL, "workshop", [LEAD, ANA])
        yield web_api


@pytest.fixture
def seen():
    """What the app's listeners received, by kind."""
    return {"commands": [], "actions": [], "views": [], "closed": [], "events": []}


@pytest.fixture
def app(web_api, executor, seen):
    app = App(client=WebClient(base_url=web_api.base_url, token="xoxb-test"), signing_secret=SECRET,
              listener_executor=executor)

    @app.command("/journey")
    def start(ack, command, client):
        ack("Setting up your workshop")
        seen["commands"].append(command)
        client.chat_postMessage(channel=command["channel_id"], text="A workshop has started", blocks=JOIN_BLOCKS)

    @app.action("join")
    def join(ack, body, client):
        ack()
        seen["actions"].append(body)
        client.views_open(trigger_id=body["trigger_id"], view=PERSONA_MODAL)

    @app.view("persona")
    def save(ack, view, client):
        name = view["state"]["values"]["name"]["name_input"]["value"]
        if name.strip() == "":
            ack(response_action="errors", errors={"name": "Give the persona a name"})
            return
        ack()
        seen["views"].append(view)
        client.chat_postMessage(channel=CHANNEL, text=f"Persona saved: {name}")

    @app.view_closed("persona")
    def closed(ack, view):
        ack()
        seen["closed"].append(view)

    @app.event("message")
    def on_message(event, request, client):
        seen["events"].append({"event": event, "body": request.body, "headers": request.headers})
        is_retry = "x-slack-retry-num" in request.headers  # handled the first time already
        if event.get("subtype") is None and not is_retry:
            client.reactions_add(channel=event["channel"], timestamp=event["ts"], name="eyes")

    return app


@pytest.fixture
def people(web_api, app, executor):
    return People(web_api, app, signing_secret=SECRET, listener_executor=executor)


def start_and_join(people, web_api):
    people.slash(LEAD, "start")
    message = web_api.messages(CHANNEL)[-1]
    people.click(LEAD, message_ts=message["ts"], action_id="join")
    return web_api.open_views(LEAD)[-1]


# ---- requests reach the app, signed -------------------------------------------------------------


def test_a_signed_slash_command_reaches_the_app(people, web_api, seen):
    response = people.slash(LEAD, "start acme onboarding")

    assert response.status == 200
    assert seen["commands"][0]["text"] == "start acme onboarding"
    assert seen["commands"][0]["user_id"] == LEAD
    posted = web_api.messages(CHANNEL)[-1]
    assert posted["bot_id"] == "B0JOURNEY" and posted["blocks"][1]["elements"][0]["action_id"] == "join"
    assert [e["text"] for e in web_api.ephemerals(LEAD)] == ["Setting up your workshop"]  # the ack body, shown to LEAD


def test_a_wrong_signature_gets_401_and_runs_no_listener(people, web_api, seen):
    with people.signing(secret="not-the-signing-secret"):
        response = people.slash(LEAD, "start")

    assert response.status == 401
    assert seen["commands"] == [] and web_api.calls_of("chat.postMessage") == []


def test_the_five_minute_rule(people, seen):
    with people.signing(timestamp=time.time() - 5 * 60 - 30):
        assert people.slash(LEAD, "start").status == 401
    assert seen["commands"] == []
    with people.signing(timestamp=time.time() - 4 * 60):
        assert people.slash(LEAD, "start").status == 200
    assert len(seen["commands"]) == 1


def test_a_thread_reply_arrives_with_thread_ts_and_is_visible_in_the_thread(people, web_api, seen):
    parent = people.say(ANA, "We lose people at checkout")
    reply = people.say(LEAD, "Which step exactly?", thread_ts=parent["ts"])

    event = seen["events"][-1]["event"]
    assert (event["thread_ts"], event["parent_user_id"], event["text"]) == (parent["ts"], ANA, "Which step exactly?")
    assert [m["text"] for m in web_api.thread(CHANNEL, parent["ts"])] == ["We lose people at checkout", "Which step exactly?"]
    assert web_api.thread(CHANNEL, parent["ts"])[0]["reply_count"] == 1
    assert [m["ts"] for m in web_api.messages(CHANNEL)] == [parent["ts"]]  # replies stay out of the channel
    assert web_api.reactions(CHANNEL, reply["ts"]) == {"eyes": [web_api.bot_user_id]}


def test_a_broadcast_reply_shows_in_the_channel_too(people, web_api, seen):
    parent = people.say(ANA, "Top")
    reply = people.say(LEAD, "Also for everyone", thread_ts=parent["ts"], broadcast=True)

    assert seen["events"][-1]["event"]["subtype"] == "thread_broadcast"
    assert [m["ts"] for m in web_api.messages(CHANNEL)] == [parent["ts"], reply["ts"]]


def test_edit_and_delete_send_message_changed_and_message_deleted(people, web_api, seen):
    original = people.say(ANA, "Frist idea")
    people.edit(ANA, CHANNEL, original["ts"], "First idea")
    people.delete(ANA, CHANNEL, original["ts"])

    changed, deleted = seen["events"][-2]["event"], seen["events"][-1]["event"]
    assert changed["subtype"] == "message_changed"
    assert (changed["message"]["text"], changed["previous_message"]["text"]) == ("First idea", "Frist idea")
    assert changed["message"]["edited"]["user"] == ANA
    assert (deleted["subtype"], deleted["deleted_ts"]) == ("message_deleted", original["ts"])
    assert web_api.messages(CHANNEL) == []


def test_retry_resends_the_same_event_with_a_retry_header(people, seen):
    people.say(ANA, "Hello")
    people.retry_last()

    first, retry = seen["events"]
    assert first["body"]["event_id"] == retry["body"]["event_id"]
    assert "x-slack-retry-num" not in first["headers"]
    assert retry["headers"]["x-slack-retry-num"] == ["1"] and retry["headers"]["x-slack-retry-reason"] == ["http_timeout"]


def test_replay_resends_the_last_request_as_is_or_edited(people, seen):
    people.slash(LEAD, "start acme onboarding")
    people.replay()
    people.replay(lambda form: form.update(text="forged", user_id=ANA))
    first, again, forged = seen["commands"]
    assert first == again
    assert (forged["text"], forged["user_id"], forged["trigger_id"]) == ("forged", ANA, first["trigger_id"])


# ---- interactivity and modals ---------------------------------------------------------------------


def test_a_click_opens_the_modal_with_a_valid_trigger(people, web_api, seen):
    view = start_and_join(people, web_api)

    action_body = seen["actions"][0]
    assert action_body["actions"][0]["value"] == "workshop-1"
    assert action_body["container"]["message_ts"] == action_body["message"]["ts"]
    assert web_api.calls_of("views.open")[0]["ok"] is True
    assert (view["callback_id"], view["private_metadata"]) == ("persona", "workshop-1")


def test_submit_delivers_state_values_shaped_per_element_and_closes_the_modal(people, web_api, seen):
    view = start_and_join(people, web_api)

    errors = people.submit(LEAD, view["id"], {"name": "Nora", "stage_select": "buy", "pains": ["price", "time"]})

    assert errors == {}
    values = seen["views"][0]["state"]["values"]
    assert values["name"] == {"name_input": {"type": "plain_text_input", "value": "Nora"}}
    assert values["stage"]["stage_select"]["selected_option"]["value"] == "buy"
    assert values["stage"]["stage_select"]["selected_option"]["text"]["text"] == "Buy"
    assert values["tone"]["tone_radio"]["selected_option"]["value"] == "warm"  # untouched: its initial option
    assert [o["value"] for o in values["pains"]["pains_check"]["selected_options"]] == ["price", "time"]
    assert seen["views"][0]["private_metadata"] == "workshop-1"
    assert web_api.open_views(LEAD) == []
    assert web_api.messages(CHANNEL)[-1]["text"] == "Persona saved: Nora"


def test_errors_in_the_ack_keep_the_modal_open(people, web_api):
    view = start_and_join(people, web_api)

    errors = people.submit(LEAD, view["id"], {"name": " ", "stage_select": "aware"})

    assert errors == {"name": "Give the persona a name"}
    assert [v["id"] for v in web_api.open_views(LEAD)] == [view["id"]]


def test_a_required_input_left_empty_cannot_be_submitted(people, web_api):
    view = start_and_join(people, web_api)
    with pytest.raises(ValueError, match="stage"):
        people.submit(LEAD, view["id"], {"name": "Nora"})


def test_cancel_sends_view_closed_when_the_view_asks_for_it(people, web_api, seen):
    view = start_and_join(people, web_api)
    people.close_view(LEAD, view["id"])

    assert [v["id"] for v in seen["closed"]] == [view["id"]]
    assert web_api.open_views(LEAD) == []


def test_a_trigger_works_once_and_for_three_seconds():
    now = [1_700_000_000.0]
    with WebAPI(clock=lambda: now[0]) as web_api:
        web_api.add_user(LEAD, "lead")
        client = WebClient(base_url=web_api.base_url, token="xoxb-test")
        trigger = web_api.issue_trigger(LEAD)
        assert client.views_open(trigger_id=trigger, view=PERSONA_MODAL)["view"]["callback_id"] == "persona"
        with pytest.raises(SlackApiError) as reused:
            client.views_open(trigger_id=trigger, view=PERSONA_MODAL)
        assert reused.value.response["error"] == "invalid_trigger_id"

        late = web_api.issue_trigger(LEAD)
        now[0] += 3.5
        with pytest.raises(SlackApiError) as expired:
            client.views_open(trigger_id=late, view=PERSONA_MODAL)
        assert expired.value.response["error"] == "expired_trigger_id"


def test_respond_lands_as_ephemeral_or_in_channel_and_a_response_url_works_five_times(web_api):
    url = web_api.response_url(CHANNEL, ANA)
    post = lambda body: urllib.request.urlopen(urllib.request.Request(  # noqa: E731
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}))

    post({"text": "only for Ana"})
    post({"text": "for everyone", "response_type": "in_channel"})
    for _ in range(3):
        post({"text": "again"})
    with pytest.raises(urllib.error.HTTPError) as sixth:
        post({"text": "once too often"})

    assert sixth.value.code == 404
    assert web_api.ephemerals(ANA)[0]["text"] == "only for Ana"
    assert web_api.messages(CHANNEL)[-1]["text"] == "for everyone"
    assert [c["params"]["text"] for c in web_api.calls_of("response_url")][:2] == ["only for Ana", "for everyone"]


def test_a_listener_exception_fails_the_request(web_api, executor):
    app = App(client=WebClient(base_url=web_api.base_url, token="xoxb-test"), signing_secret=SECRET,
              listener_executor=executor)

    @app.event("message")
    def broken():
        raise RuntimeError("step catalogue missing")

    people = People(web_api, app, signing_secret=SECRET, listener_executor=executor)
    with pytest.raises(ListenerError, match="step catalogue missing"):
        people.say(ANA, "hello")

    people.raise_listener_errors = False
    people.say(ANA, "hello again")
    assert [str(e) for e in people.errors] == ["step catalogue missing"]


# ---- HTTP transport ------------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def test_requests_can_go_over_http_to_a_served_app(web_api, app, executor, seen):
    server = make_server("127.0.0.1", 0, SlackRequestHandler(app), handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        people = People(web_api, f"http://127.0.0.1:{server.server_port}/slack/events",
                                signing_secret=SECRET, listener_executor=executor)
        assert people.slash(LEAD, "start").status == 200
        people.say(ANA, "over the wire")
        with people.signing(secret="wrong"):
            assert people.slash(LEAD, "start").status == 401
    finally:
        server.shutdown()
        server.server_close()

    assert len(seen["commands"]) == 1
    assert web_api.reactions(CHANNEL, web_api.messages(CHANNEL)[-1]["ts"]) == {"eyes": [web_api.bot_user_id]}


# ---- Web API behaviour -----------------------------------------------------------------------------


@pytest.fixture
def client(web_api):
    return WebClient(base_url=web_api.base_url, token="xoxb-test")


def test_files_upload_v2_puts_the_file_with_its_bytes_in_the_thread(web_api, client, tmp_path):
    parent = client.chat_postMessage(channel=CHANNEL, text="Journey map")
    image = tmp_path / "journey.png"
    image.write_bytes(b"\x89PNG web_api image bytes")

    csv = client.files_upload_v2(channel=CHANNEL, thread_ts=parent["ts"], content="stage,pain\nbuy,price\n",
                                 filename="journey.csv", title="Journey (CSV)")
    png = client.files_upload_v2(channel=CHANNEL, thread_ts=parent["ts"], file=str(image), filename="journey.png")

    replies = web_api.thread(CHANNEL, parent["ts"])[1:]
    assert [r["files"][0]["id"] for r in replies] == [csv["file"]["id"], png["file"]["id"]]
    stored = {f["name"]: f for f in web_api.files()}
    assert stored["journey.csv"]["content"] == b"stage,pain\nbuy,price\n"
    assert stored["journey.csv"]["title"] == "Journey (CSV)"
    assert stored["journey.png"]["content"] == image.read_bytes()
    download = urllib.request.Request(png["file"]["url_private"], headers={"Authorization": "Bearer xoxb-test"})
    assert urllib.request.urlopen(download).read() == image.read_bytes()


def test_429_with_retry_after_is_recovered_by_the_rate_limit_retry_handler(web_api):
    web_api.fail("chat.postMessage", status=429, retry_after=1)
    client = WebClient(base_url=web_api.base_url, token="xoxb-test",
                       retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])

    started = time.monotonic()
    response = client.chat_postMessage(channel=CHANNEL, text="after the pause")

    assert response["ok"] and time.monotonic() - started >= 1
    assert [(c["ok"], c.get("error")) for c in web_api.calls_of("chat.postMessage")] == [(False, "ratelimited"), (True, None)]
    assert [m["text"] for m in web_api.messages(CHANNEL)] == ["after the pause"]


def test_without_a_retry_handler_the_429_reaches_the_caller_with_retry_after(web_api, client):
    web_api.fail("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as limited:
        client.chat_postMessage(channel=CHANNEL, text="too fast")
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["Retry-After"] == "7"
    assert limited.value.response["error"] == "ratelimited"
    assert web_api.messages(CHANNEL) == []


def test_a_503_is_recovered_by_the_server_error_retry_handler(web_api):
    web_api.fail("chat.postMessage", status=503)
    client = WebClient(base_url=web_api.base_url, token="xoxb-test",
                       retry_handlers=[ServerErrorRetryHandler(max_retry_count=1)])
    assert client.chat_postMessage(channel=CHANNEL, text="second time lucky")["ok"]
    assert len(web_api.calls_of("chat.postMessage")) == 2


def test_a_delayed_call_times_the_client_out(web_api):
    web_api.fail("auth.test", delay=1.0)
    with pytest.raises(TimeoutError):
        WebClient(base_url=web_api.base_url, token="xoxb-test", timeout=0.2).auth_test()


def test_slack_refusals(web_api, client):
    def error_of(call):
        with pytest.raises(SlackApiError) as refused:
            call()
        return refused.value.response["error"]

    posted = client.chat_postMessage(channel=CHANNEL, text="hi")
    client.reactions_add(channel=CHANNEL, timestamp=posted["ts"], name="tada")
    assert error_of(lambda: client.reactions_add(channel=CHANNEL, timestamp=posted["ts"], name="tada")) == "already_reacted"
    assert error_of(lambda: WebClient(base_url=web_api.base_url).auth_test()) == "not_authed"
    assert error_of(lambda: client.api_call("journeys.teleport")) == "unknown_method"
    assert error_of(lambda: client.users_info(user="U0NOBODY")) == "user_not_found"
    assert error_of(lambda: client.chat_postMessage(channel="C0NOWHERE", text="x")) == "channel_not_found"


def test_ephemeral_scheduled_and_home_state_is_queryable(web_api, client):
    client.chat_postEphemeral(channel=CHANNEL, user=ANA, text="psst")
    scheduled = client.chat_scheduleMessage(channel=CHANNEL, text="Reminder", post_at=int(time.time()) + 3600)
    client.views_publish(user_id=ANA, view={"type": "home", "blocks": []})

    assert [(e["user"], e["text"]) for e in web_api.ephemerals()] == [(ANA, "psst")]
    assert [s["id"] for s in web_api.scheduled()] == [scheduled["scheduled_message_id"]]
    assert web_api.messages(CHANNEL) == []  # scheduled, not posted
    client.chat_deleteScheduledMessage(channel=CHANNEL, scheduled_message_id=scheduled["scheduled_message_id"])
    assert web_api.scheduled() == []
    assert web_api.home(ANA)["type"] == "home"
    assert client.users_info(user=ANA)["user"]["tz"] == "America/Sao_Paulo"
    json.dumps(web_api.transcript())  # the demo writes it to slack-transcript.json


def test_oauth_v2_access_exchanges_a_configured_code_once(web_api):
    web_api.add_oauth_code("code-1", client_id="111.222", client_secret="shh", installer=LEAD, user_scopes="users:read")
    anonymous = WebClient(base_url=web_api.base_url)

    install = anonymous.oauth_v2_access(client_id="111.222", client_secret="shh", code="code-1")

    assert install["team"] == {"id": "T0JOURNEY", "name": "Journey Workshop"}
    assert install["bot_user_id"] == web_api.bot_user_id and install["access_token"].startswith("xoxb-")
    assert install["authed_user"]["id"] == LEAD
    assert WebClient(base_url=web_api.base_url, token=install["authed_user"]["access_token"]).auth_test()["user_id"] == LEAD
    with pytest.raises(SlackApiError, match="invalid_code"):
        anonymous.oauth_v2_access(client_id="111.222", client_secret="shh", code="code-1")


# ---- shapes against Slack's reference data ------------------------------------------------------------


# keys Bolt and slack_sdk read from each response (besides "ok")
KEYS_RELIED_ON = {
    "auth.test": {"user_id", "bot_id", "team_id", "url", "team", "user"},
    "chat.postMessage": {"channel", "ts", "message"},
    "chat.update": {"channel", "ts", "message"},
    "chat.postEphemeral": {"message_ts"},
    "chat.scheduleMessage": {"scheduled_message_id", "post_at", "channel"},
    "conversations.history": {"messages", "has_more", "response_metadata"},
    "conversations.replies": {"messages", "has_more", "response_metadata"},
    "conversations.members": {"members", "response_metadata"},
    "files.getUploadURLExternal": {"upload_url", "file_id"},
    "files.completeUploadExternal": {"files"},
    "oauth.v2.access": {"access_token", "bot_user_id", "team", "app_id", "authed_user", "scope", "token_type",
                        "is_enterprise_install"},
    "views.open": {"view"},
}


def every_method_response(web_api: WebAPI) -> dict[str, dict]:
    """One successful answer from each method the stand-in implements."""
    client = WebClient(base_url=web_api.base_url, token="xoxb-test")
    web_api.add_oauth_code("code", client_id="1.2", client_secret="s", installer=LEAD, user_scopes="users:read")
    posted = client.chat_postMessage(channel=CHANNEL, text="parent")
    client.chat_postMessage(channel=CHANNEL, text="reply", thread_ts=posted["ts"])
    upload = client.files_getUploadURLExternal(filename="a.txt", length=3)
    urllib.request.urlopen(urllib.request.Request(upload["upload_url"], data=b"abc", method="POST"))
    view = client.views_open(trigger_id=web_api.issue_trigger(LEAD), view=PERSONA_MODAL)
    scheduled = client.chat_scheduleMessage(channel=CHANNEL, text="later", post_at=int(time.time()) + 60)
    responses = {
        "auth.test": client.auth_test(),
        "chat.postMessage": posted,
        "chat.update": client.chat_update(channel=CHANNEL, ts=posted["ts"], text="parent, edited"),
        "chat.getPermalink": client.chat_getPermalink(channel=CHANNEL, message_ts=posted["ts"]),
        "chat.postEphemeral": client.chat_postEphemeral(channel=CHANNEL, user=LEAD, text="psst"),
        "chat.scheduleMessage": scheduled,
        "chat.scheduledMessages.list": client.chat_scheduledMessages_list(),
        "chat.deleteScheduledMessage": client.chat_deleteScheduledMessage(
            channel=CHANNEL, scheduled_message_id=scheduled["scheduled_message_id"]),
        "reactions.add": client.reactions_add(channel=CHANNEL, timestamp=posted["ts"], name="eyes"),
        "reactions.remove": client.reactions_remove(channel=CHANNEL, timestamp=posted["ts"], name="eyes"),
        "conversations.history": client.conversations_history(channel=CHANNEL),
        "conversations.replies": client.conversations_replies(channel=CHANNEL, ts=posted["ts"]),
        "conversations.info": client.conversations_info(channel=CHANNEL),
        "conversations.join": client.conversations_join(channel=CHANNEL),
        "conversations.members": client.conversations_members(channel=CHANNEL),
        "users.info": client.users_info(user=LEAD),
        "files.getUploadURLExternal": upload,
        "files.completeUploadExternal": client.files_completeUploadExternal(
            files=[{"id": upload["file_id"], "title": "A"}], channel_id=CHANNEL),
        "views.push": client.views_push(trigger_id=web_api.issue_trigger(LEAD), view=PERSONA_MODAL),
        "views.update": client.views_update(view_id=view["view"]["id"], view=PERSONA_MODAL),
        "views.open": view,
        "views.publish": client.views_publish(user_id=LEAD, view={"type": "home", "blocks": []}),
        "oauth.v2.access": WebClient(base_url=web_api.base_url).oauth_v2_access(
            client_id="1.2", client_secret="s", code="code"),
        "chat.delete": client.chat_delete(channel=CHANNEL, ts=posted["ts"]),
    }
    with SocketModeServer(web_api):
        responses["apps.connections.open"] = WebClient(base_url=web_api.base_url).apps_connections_open(
            app_token="xapp-1-test")
    return {method: response.data for method, response in {**responses, **canvas_responses(client)}.items()}


def canvas_responses(client: WebClient) -> dict:
    content = {"type": "markdown", "markdown": "# Plan\n\n## Steps\n\nOne\n"}
    made = client.canvases_create(title="Plan", document_content=content)
    canvas_id = made["canvas_id"]
    return {
        "canvases.create": made,
        "conversations.canvases.create": client.conversations_canvases_create(channel_id=CHANNEL,
                                                                              document_content=content),
        "canvases.sections.lookup": client.canvases_sections_lookup(canvas_id=canvas_id,
                                                                    criteria={"contains_text": "Steps"}),
        "canvases.edit": client.canvases_edit(canvas_id=canvas_id,
                                              changes=[{"operation": "replace", "document_content": content}]),
        "canvases.access.set": client.canvases_access_set(canvas_id=canvas_id, access_level="read",
                                                          channel_ids=[CHANNEL]),
        "canvases.delete": client.canvases_delete(canvas_id=canvas_id),
    }


def test_socket_mode_messages_have_the_structure_of_slacks(web_api, slack_reference):
    import websocket

    requests = []
    people = People(web_api, lambda request: requests.append(request) or BoltResponse(status=200, body=""),
                    signing_secret=SECRET)
    posted = WebClient(base_url=web_api.base_url, token="xoxb-test").chat_postMessage(
        channel=CHANNEL, text="Join", blocks=JOIN_BLOCKS)
    people.slash(LEAD, "start")
    people.click(LEAD, message_ts=posted["ts"], action_id="join")
    people.say(ANA, "Hello World!")
    with SocketModeServer(web_api, ack_timeout=0.5) as slack:
        app = websocket.create_connection(WebClient(base_url=web_api.base_url).apps_connections_open(
            app_token="xapp-1-test")["url"], timeout=5)
        received = [json.loads(app.recv())]  # hello
        for request in requests:
            slack.dispatch(request)  # not acknowledged: only the envelope's shape matters here
            received.append(json.loads(app.recv()))
        slack.refresh(slack.open_links()[0])
        received.append(json.loads(app.recv()))
        app.close()

    reference = slack_reference / "payloads" / "socket_mode"
    names = ["socket_mode_hello_message", "envelope_0_slash_commands", "envelope_2_interactive",
             "envelope_1_events_api", "socket_mode_disconnect_message"]
    for name, ours in zip(names, received, strict=True):
        theirs = json.loads((reference / f"{name}.json").read_text())
        assert set(ours) == set(theirs), name
        assert ours.get("accepts_response_payload") == theirs.get("accepts_response_payload"), name


def test_a_socket_mode_url_is_for_the_app_token_and_connects_once(web_api):
    import websocket

    client = WebClient(base_url=web_api.base_url)
    with SocketModeServer(web_api) as slack:
        with pytest.raises(SlackApiError, match="not_allowed_token_type"):
            client.apps_connections_open(app_token="xoxb-a-bot-token")
        url = client.apps_connections_open(app_token="xapp-1-test")["url"]
        connection = websocket.create_connection(url, timeout=5)
        assert json.loads(connection.recv())["type"] == "hello"
        with pytest.raises(websocket.WebSocketBadStatusException):
            websocket.create_connection(url, timeout=5)  # a second connection needs a new URL
        connection.close()
        assert len(slack.links) == 1


def unknown_keys(ours: dict, slacks: dict, depth: int = 2) -> set[str]:
    """Keys in our response that Slack's never has, down to `depth` levels (list items compared one by one)."""
    unknown = {key for key in ours if key not in slacks}
    if depth > 1:
        for key in set(ours) & set(slacks):
            mine, theirs = ours[key], slacks[key]
            if isinstance(theirs, list) and theirs and isinstance(theirs[0], dict):
                mine, theirs = (mine[0] if mine else {}), theirs[0]
            if isinstance(mine, dict) and isinstance(theirs, dict) and theirs:
                unknown |= {f"{key}.{k}" for k in unknown_keys(mine, theirs, depth - 1)}
    return unknown


def test_every_method_answers_in_slacks_shape(web_api, slack_reference):
    responses = every_method_response(web_api)
    assert set(responses) == set(METHODS), "exercise every implemented method here"

    compared = 0
    for method, ours in responses.items():
        reference = slack_reference / "responses" / "api" / f"{method}.json"
        if not reference.exists():
            continue
        compared += 1
        assert ours["ok"] is True
        assert unknown_keys(ours, json.loads(reference.read_text())) == set(), method
        assert KEYS_RELIED_ON.get(method, set()) <= set(ours), method
    assert compared >= 20


# Enterprise Grid fields (the stand-in plays a plain workspace), and authed_users, which Slack replaced by
# authorizations and no longer sends
NOT_SENT = {"enterprise_id", "enterprise_name", "authed_users"}


def key_paths(payload: dict, prefix: str = "") -> set[str]:
    """Dotted paths of a payload's keys; content (blocks, input values) is the app's, not Slack's structure."""
    paths = set()
    for key, value in payload.items():
        if key in NOT_SENT:
            continue
        path = f"{prefix}{key}"
        paths.add(path)
        if isinstance(value, list) and value and isinstance(value[0], dict) and key not in ("blocks", "elements"):
            value = value[0]
        if isinstance(value, dict) and key not in ("values", "blocks"):
            paths |= key_paths(value, f"{path}.")
    return paths


@pytest.fixture
def captured(web_api):
    """A People whose 'app' only records the bodies it would receive."""
    bodies = []

    def record(request: BoltRequest) -> BoltResponse:
        bodies.append(request.body)
        return BoltResponse(status=200, body="")

    return People(web_api, record, signing_secret=SECRET), bodies


def test_built_payloads_have_the_structure_of_slacks(web_api, captured, slack_reference):
    people, bodies = captured
    client = WebClient(base_url=web_api.base_url, token="xoxb-test")
    open_modal = lambda: client.views_open(trigger_id=web_api.issue_trigger(LEAD), view=PERSONA_MODAL)["view"]["id"]  # noqa: E731
    posted = client.chat_postMessage(channel=CHANNEL, text="Join", blocks=JOIN_BLOCKS)
    sent = {}  # reference payload name -> the body the stand-in built for the same situation

    people.slash(LEAD, "start")
    sent["slash_command"] = bodies[-1]
    people.click(LEAD, message_ts=posted["ts"], action_id="join")
    sent["block_actions"] = bodies[-1]
    people.submit(LEAD, open_modal(), {"name": "Nora", "stage_select": "buy"})
    sent["view_submission"] = bodies[-1]
    people.close_view(LEAD, open_modal())
    sent["view_closed"] = bodies[-1]
    parent = people.say(ANA, "Hello World!")
    sent["event_callback_message"] = bodies[-1]
    people.say(LEAD, "Hi there!", thread_ts=parent["ts"], broadcast=True)
    sent["event_callback_message_thread_broadcast"] = bodies[-1]
    people.edit(ANA, CHANNEL, parent["ts"], "updated message")
    sent["event_callback_message_changed"] = bodies[-1]
    people.delete(ANA, CHANNEL, people.say(ANA, "Delete this message")["ts"])
    sent["event_callback_message_deleted"] = bodies[-1]
    people.open_home(ANA)
    sent["event_callback_app_home_opened_org"] = bodies[-1]

    payloads = slack_reference / "payloads"
    slash_reference = dict(parse_qsl((payloads / "slash_command.form-urlencoded.txt").read_text()))
    assert set(slash_reference) - NOT_SENT <= set(sent.pop("slash_command"))
    for name, body in sent.items():
        reference = json.loads((payloads / f"{name}.json").read_text())
        assert key_paths(reference) - key_paths(body) == set(), name
