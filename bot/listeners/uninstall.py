"""Uninstalling: the workspace's installation and everything journeybot kept about it are deleted
(why: bot/usecases/uninstall.py); a revoked token is forgotten, the workshops stay."""
from __future__ import annotations

from slack_bolt import App, BoltContext
from slack_bolt.listener.builtins import TokenRevocationListeners

from bot.usecases import uninstall
from bot.wiring.context import AppContext


def register(app: App, ctx: AppContext) -> None:
    store = app.installation_store  # None with one workspace's SLACK_BOT_TOKEN

    @app.event("tokens_revoked")
    def forget_revoked_tokens(event: dict, context: BoltContext):
        if store is not None:  # a revoked token is no use; Bolt's helper deletes it from the store
            TokenRevocationListeners(store).handle_tokens_revoked_events(event, context)

    @app.event("app_uninstalled")
    def forget_workspace(context: BoltContext):
        if store is not None:
            store.delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
        uninstall.forget_workspace(ctx, team_id=context.team_id)
