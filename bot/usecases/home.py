"""The Home tab: a person's workshops in their workspace, and the private things it opens.

A Home tab has no channel, so a click there is checked against the workshop's channel
instead: the workshop must be in the clicking person's workspace, and they must be a member
of its channel (conversations.members), as they would be to see its prompts at all.
"""
from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.usecases import answers, reporting, research, workshops
from bot.wiring.context import AppContext
from flows.engine import plan_of
from flows.home import HomeView, HomeWorkshop, UnsortedAnswer
from flows.prompts import step_heading, step_title
from flows.vocabulary import Lane, WorkshopStatus
from renderers.slack import captions_modal, home_view, notice_modal, summary_modal
from storage import repository as repo
from storage.models import Item, Workshop

log = logging.getLogger(__name__)
# Closed workshops looked at for the tab, most recent first: each costs a membership check.
MAX_PAST_WORKSHOPS = 30
MEMBERS_PAGE = 200


def is_member(client: WebClient, *, channel_id: str, user_id: str) -> bool:
    cursor = None
    try:
        while True:
            page = client.conversations_members(channel=channel_id, limit=MEMBERS_PAGE, cursor=cursor)
            if user_id in page["members"]:
                return True
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return False
    except SlackApiError as error:  # a channel the bot left or cannot see shows nothing
        log.info("no members of %s: %s", channel_id, error.response.get("error"))
        return False


def member_workshop(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, workshop_id: str,
                    trigger_id: str) -> Workshop | None:
    """The workshop a Home tab button names, if it is in this workspace and in a channel of this person;
    otherwise None, and the person is told in a modal."""
    workshop = None
    if workshop_id.isdigit():
        with ctx.unit() as session:
            workshop = repo.workshop_in_team(session, workshop_id=int(workshop_id), team_id=team_id)
    if workshop is None or not is_member(client, channel_id=workshop.channel_id, user_id=user_id):
        _notice(client, ctx, trigger_id, "messages.not_this_workshop")
        return None
    return workshop


def home_of(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str) -> HomeView:
    with ctx.unit() as session:
        workshops = repo.workshops_for_team(session, team_id=team_id)
    active = [workshop for workshop in workshops if workshop.status == WorkshopStatus.ACTIVE]
    past = [workshop for workshop in workshops if workshop.status != WorkshopStatus.ACTIVE][:MAX_PAST_WORKSHOPS]
    channels = {workshop.channel_id for workshop in active + past}
    member_of = {channel for channel in channels if is_member(client, channel_id=channel, user_id=user_id)}
    active = [workshop for workshop in active if workshop.channel_id in member_of]
    past = [workshop for workshop in past if workshop.channel_id in member_of]
    with ctx.unit() as session:
        counts = repo.answer_counts_of_person(session, author_id=user_id,
                                              workshop_ids=[workshop.id for workshop in active + past])
        answered = {workshop.id for workshop in active if user_id in repo.authors_of_step(
            session, workshop_id=workshop.id, step_key=workshop.current_step)}
        led = repo.workshops_led_by(session, user_id=user_id, workshop_ids=[workshop.id for workshop in active])
        storyboards = repo.workshops_with_lane(session, workshop_ids=list(led), lane=Lane.PANEL) if led else set()
    return HomeView(
        active=tuple(_row(ctx, workshop, counts.get(workshop.id, 0), waiting=workshop.id not in answered,
                          captions=workshop.id in storyboards) for workshop in active),
        past=tuple(_row(ctx, workshop, counts.get(workshop.id, 0)) for workshop in past),
        research=research.home_research(ctx, active, user_id=user_id),
        unsorted=_unsorted(client, ctx, team_id=team_id, user_id=user_id, workshops=active + past))


def _unsorted(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str,
              workshops: list[Workshop]) -> tuple[UnsortedAnswer, ...]:
    """The answers waiting for a lane that this person may sort: their own, and everyone's where they lead."""
    by_id = {workshop.id: workshop for workshop in workshops}
    with ctx.unit() as session:
        led = repo.workshops_led_by(session, user_id=user_id, workshop_ids=list(by_id))
        items = [item for item in repo.unsorted_items(session, workshop_ids=list(by_id))
                 if item.author_id == user_id or item.workshop_id in led]
    named = {item.author_id for item in items if not by_id[item.workshop_id].anonymous}
    names = reporting.display_names(client, ctx, team_id=team_id, user_ids=named) if named else {}
    return tuple(_unsorted_answer(ctx, by_id[item.workshop_id], item, names, own=item.author_id == user_id)
                 for item in items)


def _unsorted_answer(ctx: AppContext, workshop: Workshop, item: Item, names: dict[str, str], *,
                     own: bool) -> UnsortedAnswer:
    pack = ctx.pack(workshop.lang)
    plan = plan_of(workshop, ctx.catalog)
    ref = plan.get(item.step_key)
    author = pack.text("summary.anonymous") if workshop.anonymous else names.get(item.author_id, item.author_id)
    return UnsortedAnswer(item_id=item.id, text=item.text, title=workshop.title, own=own, author=author,
                          lang=workshop.lang,
                          step=step_heading(pack, plan, ref, len(workshop.phases)),
                          choices=tuple(answers.sorting_choices(pack, workshop, plan, ref)))


def sort_from_home(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, item_id: str, value: str,
                   trigger_id: str) -> None:
    """A pick in the Home tab's "not sorted yet" list files the answer, recounts its prompt and redraws the tab."""
    lane, _, feeling = value.partition(":")
    choice = answers.on_choice(ctx, team_id=team_id, user_id=user_id, item_id=int(item_id), lane=lane,
                               feeling=feeling or None) if item_id.isdigit() else None
    if choice is None or choice.workshop_id is None:
        _notice(client, ctx, trigger_id, "messages.not_this_workshop")
        return
    answers.refresh_prompts(client, ctx, choice)
    publish_home(client, ctx, team_id=team_id, user_id=user_id)


def _row(ctx: AppContext, workshop: Workshop, answers_given: int, *, waiting: bool = False,
         captions: bool = False) -> HomeWorkshop:
    plan = plan_of(workshop, ctx.catalog)
    current = plan.get(workshop.current_step)
    return HomeWorkshop(
        workshop_id=workshop.id, title=workshop.title, channel_id=workshop.channel_id, step_key=current.key,
        step=step_title(ctx.pack(workshop.lang), current, len(workshop.phases)), number=current.number,
        count=len(plan), answers=answers_given, lang=workshop.lang, waiting=waiting, captions=captions)


def publish_home(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str) -> None:
    view = home_view(ctx.pack(), home_of(client, ctx, team_id=team_id, user_id=user_id), pack_of=ctx.pack)
    client.views_publish(user_id=user_id, view=view)


def open_answer(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, value: str,
                trigger_id: str) -> None:
    """The Home tab's Answer button: the same modal as the prompt's, for a step still open."""
    workshop_id, _, step_key = value.partition(":")
    workshop = member_workshop(client, ctx, team_id=team_id, user_id=user_id, workshop_id=workshop_id,
                               trigger_id=trigger_id)
    if workshop is None:
        return
    with ctx.unit() as session:
        found = answers.answerable_step(session, ctx.catalog, team_id=team_id, workshop_id=workshop.id,
                                        step_key=step_key)
    if found is None:  # the workshop moved on since the tab was drawn
        _notice(client, ctx, trigger_id, "messages.step_gone", text="")
        publish_home(client, ctx, team_id=team_id, user_id=user_id)
        return
    client.views_open(trigger_id=trigger_id, view=answers.answer_view(ctx, *found, from_home=True))


def open_summary(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, workshop_id: str,
                 trigger_id: str) -> None:
    """The Home tab's See summary button: the summary in a modal only this person sees."""
    workshop = member_workshop(client, ctx, team_id=team_id, user_id=user_id, workshop_id=workshop_id,
                               trigger_id=trigger_id)
    if workshop is None:
        return
    view = reporting.workshop_summary(client, ctx, workshop)
    client.views_open(trigger_id=trigger_id, view=summary_modal(ctx.pack(workshop.lang), view))


def open_captions(client: WebClient, ctx: AppContext, *, team_id: str, user_id: str, workshop_id: str,
                  trigger_id: str) -> None:
    """A lead's Storyboard captions button: every panel with its caption and menu, in a modal."""
    workshop = member_workshop(client, ctx, team_id=team_id, user_id=user_id, workshop_id=workshop_id,
                               trigger_id=trigger_id)
    if workshop is None:
        return
    try:
        lead = workshops.workshop_for_lead(ctx, team_id=team_id, user_id=user_id, workshop_id=workshop.id,
                                           active_only=False)
    except workshops.Refusal as refusal:
        client.views_open(trigger_id=trigger_id, view=notice_modal(ctx.pack(), refusal.message.text))
        return
    view = reporting.workshop_summary(client, ctx, lead.workshop)
    client.views_open(trigger_id=trigger_id, view=captions_modal(lead.pack, view))


def _notice(client: WebClient, ctx: AppContext, trigger_id: str, key: str, **values: object) -> None:
    pack = ctx.pack()
    client.views_open(trigger_id=trigger_id, view=notice_modal(pack, pack.text(key, **values)))
