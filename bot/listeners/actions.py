"""Buttons: Answer opens the modal; the clarifying questions file an answer under a lane or feeling;
the lead confirms or cancels deleting a workshop."""
from __future__ import annotations

import logging
import re

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot import answers, deletion
from bot.services import Services
from flows.catalog import load_catalog
from flows.prompts import step_title
from renderers.slack import answer_modal, text_message

log = logging.getLogger(__name__)


def _team(body: dict) -> str:
    return (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")


def _channel(body: dict) -> str:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")


def register(app: App, services: Services) -> None:
    @app.action("answer")
    def open_answer_modal(ack, body, action, client):
        ack()
        workshop_id, _, step_key = (action.get("value") or "").partition(":")
        channel_id = _channel(body)
        with services.unit() as session:
            found = workshop_id.isdigit() and answers.answerable_step(
                session, team_id=_team(body), workshop_id=int(workshop_id), step_key=step_key, channel_id=channel_id)
        pack = services.pack(found[0].lang if found else None)
        if not found:
            message = text_message(pack.text("messages.step_gone", text=""))
            client.chat_postEphemeral(channel=channel_id, user=body["user"]["id"], text=message.text, blocks=message.blocks)
            return
        workshop, ref = found
        view = answer_modal(pack, metadata={"w": workshop.id, "s": ref.key},
                            step_title=step_title(pack, ref, len(workshop.phases)),
                            lanes=answers.lanes_of(workshop, ref), feeling_lane=ref.step.feeling_lane,
                            evidence_values=load_catalog().evidence_values)
        try:
            client.views_open(trigger_id=body.get("trigger_id"), view=view)
        except SlackApiError as error:  # a second click's stale trigger: the first click's modal is open
            log.warning("could not open the answer modal: %s", error.response.get("error"))

    @app.action(re.compile(r"^set_(lane|feeling):"))
    def choose(ack, body, action, respond):
        ack()
        field = action["action_id"].split(":")[0].removeprefix("set_")
        item_id, _, value = (action.get("value") or "").partition(":")
        if item_id.isdigit():
            answer = answers.on_choice(services, team_id=_team(body), user_id=body["user"]["id"],
                                       item_id=int(item_id), field=field, value=value)
        else:
            answer = text_message(services.pack().text("messages.not_this_workshop"))
        respond(replace_original=True, text=answer.text, blocks=answer.blocks)

    @app.action("delete_confirm")
    def confirm_delete(ack, body, action, client, respond):
        ack()
        workshop_id = action.get("value") or ""
        if workshop_id.isdigit():
            answer = deletion.confirm(client, services, team_id=_team(body), channel_id=_channel(body),
                                      user_id=body["user"]["id"], workshop_id=int(workshop_id))
        else:
            answer = text_message(services.pack().text("delete.gone"))
        respond(replace_original=True, text=answer.text, blocks=answer.blocks)

    @app.action("delete_cancel")
    def cancel_delete(ack, respond):
        ack()
        answer = text_message(services.pack().text("delete.kept"))
        respond(replace_original=True, text=answer.text, blocks=answer.blocks)
