"""Deadlines and reminders: a step's deadline on its prompt, one reminder scheduled with Slack
(chat.scheduleMessage, so journeybot needs no scheduler of its own), and private nudges.

A step has at most one scheduled reminder, its id in ``StepPost.reminder_id``; it is cancelled
when the step is left (steps.py calls ``cancel_reminder`` on next, back and close) or its deadline moves.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.usecases import workshops
from bot.usecases.people import known_people, time_zone
from bot.wiring.context import AppContext
from bot.usecases.workshops import LeadView, refuse
from flows.commands import CommandError
from flows.deadlines import parse_deadline, reminder_time
from flows.engine import plan_of
from flows.prompts import step_heading
from flows.texts import Pack
from renderers.mrkdwn import escape
from renderers.slack import Message, slack_date, text_message
from storage import repository as repo
from storage.models import StepPost, Workshop

log = logging.getLogger(__name__)
NO_DEADLINE = "off"
MEMBERS_PAGE = 200  # conversations.members page size; Slack advises at most 1,000


def current_time() -> datetime:
    return datetime.now(timezone.utc)


def deadline_from(client: WebClient, ctx: AppContext, lead: LeadView, value: str, now: datetime) -> datetime:
    """The deadline a lead typed; a date ends in the lead's own time zone. Refuses politely before anything changes."""
    tz = time_zone(client, ctx, team_id=lead.workshop.team_id, user_id=lead.user_id)
    try:
        return parse_deadline(value, now=now, tz=tz)
    except CommandError as error:
        values = {name: lead.pack.count(name, value) if name == "days" else value for name, value in error.values.items()}
        raise refuse(lead.pack, error.key, **values) from None


def _step_name(ctx: AppContext, workshop: Workshop, step_key: str) -> str:
    pack = ctx.pack(workshop.lang)
    plan = plan_of(workshop, ctx.catalog)
    return escape(step_heading(pack, plan, plan.get(step_key), len(workshop.phases)))


# -- `/journey due` --------------------------------------------------------------------------

def set_deadline(client: WebClient, ctx: AppContext, lead: LeadView, value: str) -> Message:
    """Sets, moves (`2d`, a date) or removes (`off`) the open step's deadline without moving the workshop."""
    workshop, pack = lead.workshop, lead.pack
    if not value:
        raise refuse(pack, "deadlines.missing")
    now = current_time()
    due_at = None if value.lower() == NO_DEADLINE else deadline_from(client, ctx, lead, value, now)
    with ctx.unit() as session:
        post = repo.step_post(session, workshop_id=workshop.id, step_key=workshop.current_step)
    old_reminder = post.reminder_id
    answer = (pack.text("deadlines.cleared", step=_step_name(ctx, workshop, post.step_key)) if due_at is None
              else schedule(client, ctx, pack, workshop, post, due_at, now))
    _cancel(client, post.channel_id, old_reminder)  # after the new one is scheduled, so a refusal keeps the old
    if due_at is None:
        _store(ctx, post, due_at=None, reminder_id=None)
    workshops.refresh_prompt(client, ctx, workshop_id=workshop.id, step_key=post.step_key)
    return text_message(answer)


# -- scheduling and cancelling ------------------------------------------------------------------

def schedule(client: WebClient, ctx: AppContext, pack: Pack, workshop: Workshop, post: StepPost,
             due_at: datetime, now: datetime) -> str:
    """Schedules the reminder in the prompt's thread, also sent to the channel; returns what to tell the lead."""
    remind_at = reminder_time(due_at, now=now)
    step = _step_name(ctx, workshop, post.step_key)
    try:
        scheduled = client.chat_scheduleMessage(
            channel=post.channel_id, thread_ts=post.ts, reply_broadcast=True, post_at=int(remind_at.timestamp()),
            text=pack.text("deadlines.reminder", step=step, deadline=slack_date(pack, due_at)))
        reminder_id = scheduled["scheduled_message_id"]
    except SlackApiError as error:  # the deadline still stands on the prompt
        log.warning("could not schedule a reminder: %s", error.response.get("error"))
        reminder_id = None
    _store(ctx, post, due_at=due_at, reminder_id=reminder_id)
    if reminder_id is None:
        return pack.text("deadlines.not_scheduled")
    return pack.text("deadlines.set", step=step, deadline=slack_date(pack, due_at),
                     reminder=slack_date(pack, remind_at))


def _store(ctx: AppContext, post: StepPost, *, due_at: datetime | None, reminder_id: str | None) -> None:
    with ctx.unit() as session:
        repo.set_deadline(session, workshop_id=post.workshop_id, step_key=post.step_key, due_at=due_at)
        repo.set_reminder(session, workshop_id=post.workshop_id, step_key=post.step_key, reminder_id=reminder_id)


def cancel_reminder(client: WebClient, ctx: AppContext, workshop: Workshop, step_key: str) -> None:
    """Cancels the step's scheduled reminder, if it has one."""
    with ctx.unit() as session:
        post = repo.step_post(session, workshop_id=workshop.id, step_key=step_key)
        if post is None or post.reminder_id is None:
            return
        channel_id, reminder_id = post.channel_id, post.reminder_id
        repo.set_reminder(session, workshop_id=workshop.id, step_key=step_key, reminder_id=None)
    _cancel(client, channel_id, reminder_id)


def _cancel(client: WebClient, channel_id: str, reminder_id: str | None) -> None:
    if reminder_id is None:
        return
    try:
        client.chat_deleteScheduledMessage(channel=channel_id, scheduled_message_id=reminder_id)
    except SlackApiError as error:  # already posted, or gone: nothing left to cancel
        log.info("reminder %s not cancelled: %s", reminder_id, error.response.get("error"))


# -- `/journey remind` ------------------------------------------------------------------------------

def channel_people(client: WebClient, ctx: AppContext, workshop: Workshop) -> list[str]:
    """The people in the workshop's channel: every member (all pages) except bots, journeybot included."""
    members: list[str] = []
    cursor = None
    while True:
        page = client.conversations_members(channel=workshop.channel_id, cursor=cursor, limit=MEMBERS_PAGE)
        members += page["members"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    people = known_people(client, ctx, team_id=workshop.team_id, user_ids=members)
    return [member for member in members if member in people and not people[member].is_bot]


def remind(client: WebClient, ctx: AppContext, lead: LeadView) -> Message:
    """Nudges, by direct message, only the people in the channel who have not answered the open step
    (the lead who asks counts among the people, but is not nudged).

    A direct message notifies and stays until read, so it reaches people who are not watching the
    channel (the point of an asynchronous workshop); an ephemeral message would vanish unseen.
    Nobody is mentioned in the channel.
    """
    workshop, pack = lead.workshop, lead.pack
    with ctx.unit() as session:
        post = repo.step_post(session, workshop_id=workshop.id, step_key=workshop.current_step)
        authors = set(repo.authors_of_step(session, workshop_id=workshop.id, step_key=workshop.current_step))
    people = channel_people(client, ctx, workshop)
    answered = sum(person in authors for person in people)
    step = _step_name(ctx, workshop, workshop.current_step)
    if answered == len(people):
        return text_message(pack.plural("reminders.everyone_answered", len(people), step=step))
    link = client.chat_getPermalink(channel=post.channel_id, message_ts=post.ts)["permalink"]
    deadline = pack.text("reminders.nudge_deadline", deadline=slack_date(pack, post.due_at)) if post.due_at else ""
    nudge = pack.text("reminders.nudge", title=escape(workshop.title), channel=workshop.channel_id, step=step,
                      deadline=deadline, link=link)
    waiting = [person for person in people if person not in authors and person != lead.user_id]
    if not waiting:  # only the lead who asks has not answered
        return text_message(pack.text("reminders_rest.only_you", step=step))
    nudged = sum(_nudge(client, person, nudge) for person in waiting)
    return text_message(pack.plural("reminders.sent", len(people), answered=answered, step=step, nudged=nudged))


def _nudge(client: WebClient, user_id: str, text: str) -> bool:
    try:
        client.chat_postMessage(channel=user_id, text=text)  # a user ID: the bot's direct message with them
    except SlackApiError as error:  # e.g. a deactivated account; the others are still reminded
        log.warning("could not remind %s: %s", user_id, error.response.get("error"))
        return False
    return True
