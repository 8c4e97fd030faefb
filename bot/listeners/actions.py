"""Buttons: Answer opens the modal; the clarifying questions file an answer under a lane or feeling."""
from __future__ import annotations

import re

from slack_bolt import App

from bot import answers
from bot.services import Services
from renderers.slack import text_message


def team_of(body: dict) -> str:
    """The workspace an interaction comes from."""
    return (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")


def register(app: App, services: Services) -> None:
    @app.action("answer")
    def open_answer_modal(ack, body, action, client):
        ack()
        workshop_id, _, step_key = (action.get("value") or "").partition(":")
        channel_id = (body.get("channel") or {}).get("id")
        with services.unit() as session:
            found = workshop_id.isdigit() and answers.answerable_step(
                session, services.catalog, team_id=team_of(body), workshop_id=int(workshop_id), step_key=step_key,
                channel_id=channel_id)
        pack = services.pack(found[0].lang if found else None)
        if not found:
            message = text_message(pack.text("messages.step_gone", text=""))
            client.chat_postEphemeral(channel=channel_id, user=body["user"]["id"], text=message.text, blocks=message.blocks)
            return
        client.views_open(trigger_id=body["trigger_id"], view=answers.answer_view(services, *found))

    @app.action(re.compile(r"^set_(lane|feeling):"))
    def choose(ack, body, action, respond):
        ack()
        field = action["action_id"].split(":")[0].removeprefix("set_")
        item_id, _, value = (action.get("value") or "").partition(":")
        if not item_id.isdigit():
            return
        answer = answers.on_choice(services, team_id=team_of(body), user_id=body["user"]["id"], item_id=int(item_id),
                                   field=field, value=value)
        respond(replace_original=True, text=answer.text, blocks=answer.blocks)
