"""The Home tab: drawn when a person opens it; its buttons open the answer modal, a summary or (for a lead)
the storyboard's captions, and its menus sort answers that wait for their lane."""
from __future__ import annotations

import re

from slack_bolt import App

from bot.usecases import home
from bot.listeners.common import acknowledge, team_of
from bot.wiring.context import AppContext


def register(app: App, ctx: AppContext) -> None:
    def on_home_opened(body, event, client):
        if event.get("tab") == "home":
            home.publish_home(client, ctx, team_id=body["team_id"], user_id=event["user"])

    def answer_from_home(body, action, client):
        home.open_answer(client, ctx, team_id=team_of(body), user_id=body["user"]["id"],
                         value=action.get("value") or "", trigger_id=body["trigger_id"])

    def summary_from_home(body, action, client):
        home.open_summary(client, ctx, team_id=team_of(body), user_id=body["user"]["id"],
                          workshop_id=action.get("value") or "", trigger_id=body["trigger_id"])

    def captions_from_home(body, action, client):
        home.open_captions(client, ctx, team_id=team_of(body), user_id=body["user"]["id"],
                           workshop_id=action.get("value") or "", trigger_id=body["trigger_id"])

    def sort_from_home(body, action, client):
        home.sort_from_home(client, ctx, team_id=team_of(body), user_id=body["user"]["id"],
                            item_id=action["action_id"].removeprefix("home_sort:"),
                            value=(action.get("selected_option") or {}).get("value", ""), trigger_id=body["trigger_id"])

    app.event("app_home_opened")(ack=acknowledge, lazy=[on_home_opened])
    app.action(re.compile(r"^home_answer:"))(ack=acknowledge, lazy=[answer_from_home])
    app.action(re.compile(r"^home_summary:"))(ack=acknowledge, lazy=[summary_from_home])
    app.action(re.compile(r"^home_sort:"))(ack=acknowledge, lazy=[sort_from_home])
    app.action(re.compile(r"^home_captions:"))(ack=acknowledge, lazy=[captions_from_home])
