"""What leaving a workspace means for its workshops.

When a workspace uninstalls journeybot, its workshops, answers, votes and the names the bot
remembered are deleted: nobody there can reach them any more (the bot can no longer post a
summary or answer a command), and research that stays on a server after its owners removed
the tool is a leak waiting to happen. Leads who want to keep a workshop export it first.
A revoked token alone is not a goodbye (tokens are rotated, a user's token is revoked when
they leave), so the workshops stay; the installation store deals with tokens.
"""
from __future__ import annotations

import logging

from bot.wiring.context import AppContext
from storage import repository as repo

log = logging.getLogger(__name__)


def forget_workspace(ctx: AppContext, *, team_id: str) -> int:
    """Deletes every workshop of the workspace and the names remembered there; returns how many workshops."""
    with ctx.unit() as session:
        count = repo.delete_team(session, team_id=team_id)
    log.info("app uninstalled from %s: deleted %d workshops", team_id, count)
    return count
