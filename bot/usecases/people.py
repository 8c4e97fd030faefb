"""Who people are (display name, time zone, bot or not): asked of Slack once per person and remembered."""
from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.wiring.context import AppContext
from storage import repository as repo
from storage.models import Person

log = logging.getLogger(__name__)
SLACKBOT = "USLACKBOT"  # Slack's own helper: users.info says is_bot false, but it is no person


def known_people(client: WebClient, ctx: AppContext, *, team_id: str, user_ids: Iterable[str]) -> dict[str, Person]:
    """People by Slack user ID: from the database, else from users.info; IDs Slack does not know are left out."""
    wanted = set(user_ids)
    with ctx.unit() as session:
        people = repo.people_of(session, team_id=team_id, user_ids=wanted)
    fetched: list[dict] = []
    for user_id in sorted(wanted - people.keys()):
        try:
            fetched.append(client.users_info(user=user_id)["user"])
        except SlackApiError as error:  # a summary with an ID in it beats no summary
            log.warning("no profile for %s: %s", user_id, error.response.get("error"))
    if fetched:
        with ctx.unit() as session:
            for user in fetched:
                people[user["id"]] = repo.remember_person(
                    session, team_id=team_id, user_id=user["id"], name=_name(user), tz=user.get("tz"),
                    is_bot=bool(user.get("is_bot")) or user["id"] == SLACKBOT)
    return people


def _name(user: dict) -> str:
    profile = user.get("profile", {})
    return (profile.get("display_name") or user.get("real_name") or profile.get("real_name") or user.get("name")
            or user["id"])


def time_zone(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str) -> str | None:
    person = known_people(client, ctx, team_id=team_id, user_ids=[user_id]).get(user_id)
    return person.tz if person else None
