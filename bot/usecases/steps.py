"""Moving a workshop between its steps: `/journey next`, `back` and `close`. The one place that opens
and closes steps; deadlines hook in here (the step left loses its reminder, the step opened gets the
deadline given with the move).

Slack calls happen between short transactions, as in workshops.py: a prompt whose step did not open is
deleted again, and a lead who moved the workshop meanwhile makes the other move a Conflict.
"""
from __future__ import annotations

from datetime import datetime

from slack_sdk import WebClient

from bot.usecases import reminders, research
from bot.usecases.workshops import LeadView, Refusal, progress_line, refresh_prompt, refuse, render_prompt, update_prompt
from bot.wiring.context import AppContext
from flows.commands import Command
from flows.engine import StepRef, plan_of
from flows.prompts import step_heading, step_title
from flows.texts import Pack
from renderers.mrkdwn import escape
from renderers.slack import Message, text_message
from storage import canvases as canvas_store
from storage import repository as repo
from storage.models import StepPost, Workshop


class Conflict(Exception):
    """Someone else moved the workshop meanwhile."""


def move(client: WebClient, ctx: AppContext, lead: LeadView, command: Command, *, forward: bool) -> Message:
    """`/journey next|back [due:…]`: opens the next or previous step with the deadline given, if any;
    the step left loses its Answer button and its reminder, keeps its count and says where answers go now."""
    now = reminders.current_time()
    due_at = reminders.deadline_from(client, ctx, lead, command.options["due"], now) if "due" in command.options else None
    workshop, pack = lead.workshop, lead.pack
    plan = plan_of(workshop, ctx.catalog)
    current = plan.get(workshop.current_step)
    target = plan.after(current.key) if forward else plan.before(current.key)
    if target is None:
        raise refuse(pack, "messages.last_step" if forward else "messages.first_step")
    if forward:
        _post_step(client, ctx, pack, workshop, target, recap=_recap(ctx, pack, workshop, current), due_at=due_at)
    else:
        _reopen_step(client, ctx, pack, workshop, target, due_at=due_at)
    refresh_prompt(client, ctx, workshop_id=workshop.id, step_key=current.key)  # a prompt deleted in Slack stays so
    reminders.cancel_reminder(client, ctx, workshop, workshop.current_step)
    key = "messages.moved_next" if forward else "messages.moved_back"
    notes = [pack.text(key, number=target.number, count=len(plan),
                       step=escape(step_title(pack, target, len(workshop.phases))))]
    if due_at is not None:
        with ctx.unit() as session:
            post = repo.step_post(session, workshop_id=workshop.id, step_key=target.key)
        notes.append(reminders.schedule(client, ctx, pack, workshop, post, due_at, now))
    if forward and target.step.opens_research:
        notes.append(_open_research(client, ctx, lead))
    return text_message("\n".join(notes))


def _open_research(client: WebClient, ctx: AppContext, lead: LeadView) -> str:
    """A template's research step opens the research round; without assumptions yet, the lead hears why."""
    try:
        return research.open_round(client, ctx, lead).text
    except Refusal as refusal:
        return refusal.message.text


def _recap(ctx: AppContext, pack: Pack, workshop: Workshop, ref: StepRef) -> str:
    with ctx.unit() as session:
        items, people = repo.answer_counts(session, workshop_id=workshop.id, step_key=ref.key)
    return pack.text("messages.recap", number=ref.number, step=escape(step_title(pack, ref, len(workshop.phases))),
                     answers=pack.count("answers", items), people=pack.count("people", people))


def _post_step(client: WebClient, ctx: AppContext, pack: Pack, workshop: Workshop, ref: StepRef, *, recap: str,
               due_at: datetime | None) -> None:
    """Opens the next step. A step opened before (the lead went back) keeps its one prompt, so its thread
    stays the one place for its answers: the prompt is reopened and the channel gets a note linking to it."""
    with ctx.unit() as session:
        earlier = repo.step_post(session, workshop_id=workshop.id, step_key=ref.key)
    if earlier and _reopen_later_step(client, ctx, pack, workshop, ref, earlier, recap=recap, due_at=due_at):
        return
    with ctx.unit() as session:
        given, _ = repo.answer_counts(session, workshop_id=workshop.id, step_key=ref.key)
    if given:  # insights given in the phases' threads are already the opportunities' answers
        recap += "\n" + progress_line(ctx, workshop, ref.key)
    prompt = render_prompt(ctx, workshop, ref, progress=recap, due_at=due_at)
    ts = client.chat_postMessage(channel=workshop.channel_id, text=prompt.text, blocks=prompt.blocks)["ts"]
    try:
        with ctx.unit() as session:
            _set_current(session, workshop, expected=workshop.current_step, new=ref.key)
            repo.record_step_post(session, workshop_id=workshop.id, step_key=ref.key,
                                  channel_id=workshop.channel_id, ts=ts, due_at=due_at)
    except Exception:
        client.chat_delete(channel=workshop.channel_id, ts=ts)  # a prompt for a step that did not open
        raise


def _reopen_later_step(client: WebClient, ctx: AppContext, pack: Pack, workshop: Workshop, ref: StepRef,
                       post: StepPost, *, recap: str, due_at: datetime | None) -> bool:
    """Reopens the existing prompt of a step that comes next again; False if it was deleted in Slack."""
    reopened = render_prompt(ctx, workshop, ref, progress=progress_line(ctx, workshop, ref.key), due_at=due_at)
    if not update_prompt(client, post, reopened):
        return False
    try:
        with ctx.unit() as session:
            _set_current(session, workshop, expected=workshop.current_step, new=ref.key)
            repo.record_step_post(session, workshop_id=workshop.id, step_key=ref.key, channel_id=post.channel_id,
                                  ts=post.ts, due_at=due_at)
    except Exception:
        refresh_prompt(client, ctx, workshop_id=workshop.id, step_key=ref.key)  # closed again: the step did not open
        raise
    link = client.chat_getPermalink(channel=post.channel_id, message_ts=post.ts)["permalink"]
    step = step_heading(pack, plan_of(workshop, ctx.catalog), ref, len(workshop.phases))
    note = pack.text("moving.bumped", recap=recap, step=escape(step), link=link)
    client.chat_postMessage(channel=post.channel_id, text=note)
    return True


def _reopen_step(client: WebClient, ctx: AppContext, pack: Pack, workshop: Workshop, ref: StepRef,
                 *, due_at: datetime | None) -> None:
    with ctx.unit() as session:
        _set_current(session, workshop, expected=workshop.current_step, new=ref.key)
        post = repo.step_post(session, workshop_id=workshop.id, step_key=ref.key)
        # an old deadline has passed; the reopened step has the one given now, or none
        repo.set_deadline(session, workshop_id=workshop.id, step_key=ref.key, due_at=due_at)
    reopened = render_prompt(ctx, workshop, ref, due_at=due_at)
    if not update_prompt(client, post, reopened):  # deleted in Slack: post it again; its thread takes the answers
        ts = client.chat_postMessage(channel=workshop.channel_id, text=reopened.text, blocks=reopened.blocks)["ts"]
        with ctx.unit() as session:
            repo.record_step_post(session, workshop_id=workshop.id, step_key=ref.key, channel_id=workshop.channel_id,
                                  ts=ts, due_at=due_at)
        return
    step = step_heading(pack, plan_of(workshop, ctx.catalog), ref, len(workshop.phases))
    note = pack.text("messages.reopened", step=escape(step))
    client.chat_postMessage(channel=post.channel_id, thread_ts=post.ts, text=note)


def _set_current(session, workshop: Workshop, *, expected: str, new: str) -> None:
    if not repo.move_current_step(session, workshop_id=workshop.id, expected=expected, new=new):
        raise Conflict(workshop.title)
    canvas_store.mark_stale(session, workshop_id=workshop.id)  # a step closed: the canvas catches up


def close(client: WebClient, ctx: AppContext, lead: LeadView) -> None:
    """`/journey close`: the workshop ends; its open step loses its Answer button and its reminder. The note
    in the channel is the lead's answer too: once is enough."""
    workshop, pack = lead.workshop, lead.pack
    with ctx.unit() as session:
        repo.close_workshop(session, workshop=repo.workshop_by_id(session, workshop_id=workshop.id))
        canvas_store.mark_stale(session, workshop_id=workshop.id)  # the canvas stays, as the workshop's record
        items, people = repo.answer_counts(session, workshop_id=workshop.id)
    refresh_prompt(client, ctx, workshop_id=workshop.id, step_key=workshop.current_step)
    reminders.cancel_reminder(client, ctx, workshop, workshop.current_step)
    note = pack.text("messages.closed", title=escape(workshop.title), answers=pack.count("answers", items),
                     people=pack.count("people", people))
    client.chat_postMessage(channel=workshop.channel_id, text=note)
