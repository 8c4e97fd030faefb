"""Modal submissions: saved before the modal closes, so a failure keeps it open with the text in it."""
from __future__ import annotations

from slack_bolt import App

from bot import answers, home
from bot.answers import ModalAnswer
from bot.services import Services


def _value(state: dict, block_id: str) -> str | None:
    element = state.get(block_id, {}).get("value", {})
    selected = element.get("selected_option") or {}
    return element.get("value") if "value" in element else selected.get("value")


def register(app: App, services: Services) -> None:
    @app.view("answer")
    def submit_answer(ack, body, view, client):
        state = view.get("state", {}).get("values", {})
        answer = ModalAnswer(
            team_id=(body.get("team") or {}).get("id", ""), user_id=body["user"]["id"], view_id=view["id"],
            metadata=view.get("private_metadata") or "", lane=_value(state, "lane"), text=_value(state, "text") or "",
            feeling=_value(state, "feeling"), why=_value(state, "why") or "", evidence=_value(state, "evidence"))
        errors = answers.on_modal_answer(services, answer)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        if answer.from_home:  # the step is answered now: the tab should stop asking
            home.publish_home(client, services, team_id=answer.team_id, user_id=answer.user_id)
