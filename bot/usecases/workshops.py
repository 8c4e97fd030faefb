"""What the lead does with a workshop: start it and settle its phases (moving between steps and
closing are in steps.py); the lead check and the prompt every step shows.

Every function keeps database transactions short and does Slack calls between them, so a
slow or failing Slack never holds a lock, and a failed post leaves nothing half-stored.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.wiring.context import AppContext
from flows.commands import MAX_TITLE, Command
from flows.engine import PhaseListError, StepRef, build_plan, filed_elsewhere, parse_phase_list, plan_of
from flows.phases import phase_moves
from flows.prompts import step_heading, step_list, step_prompt, step_title
from flows.texts import Pack
from flows.vocabulary import JourneyKind, WorkshopStatus
from renderers.mrkdwn import escape
from renderers.slack import Message, kickoff_message, prompt_message, text_message
from storage import canvases as canvas_store
from storage import repository as repo
from storage.models import StepPost, Workshop

log = logging.getLogger(__name__)


class Refusal(Exception):
    """A request the bot answers politely without changing anything; carries the answer."""

    def __init__(self, message: Message):
        super().__init__(message.text)
        self.message = message


def refuse(pack: Pack, key: str, **values: object) -> Refusal:
    return Refusal(text_message(pack.text(key, **values)))


def render_prompt(ctx: AppContext, workshop: Workshop, ref: StepRef, *, progress: str | None = None,
                  closed_note: str | None = None, due_at: datetime | None = None) -> Message:
    """A step's prompt; with a ``closed_note`` it is closed (no Answer button)."""
    pack = ctx.pack(workshop.lang)
    plan = plan_of(workshop, ctx.catalog)
    return prompt_message(
        pack, workshop_id=workshop.id, step_key=ref.key, number=ref.number, count=len(plan),
        section=ref.step.section, title=step_title(pack, ref, len(workshop.phases)),
        prompt=step_prompt(pack, ref, kind=workshop.kind, phases=workshop.phases, escape=escape,
                           takes_insights=bool(filed_elsewhere(plan, ref))),
        progress=progress, closed_note=closed_note, settles_phases=ref.step.settles_phases, due_at=due_at,
        answerable=not ref.step.opens_research)


def open_step_link(client: WebClient, ctx: AppContext, workshop: Workshop) -> tuple[str, str] | None:
    """The open step's title (escaped) and a link to its prompt; None when the workshop is closed or the prompt is gone."""
    with ctx.unit() as session:
        fresh = repo.workshop_by_id(session, workshop_id=workshop.id)
        post = fresh and fresh.status == WorkshopStatus.ACTIVE and repo.step_post(session, workshop_id=fresh.id,
                                                                     step_key=fresh.current_step)
    if not post:
        return None
    try:
        link = client.chat_getPermalink(channel=post.channel_id, message_ts=post.ts)["permalink"]
    except SlackApiError as error:
        log.warning("no link to the open prompt %s: %s", post.ts, error.response.get("error"))
        return None
    pack = ctx.pack(fresh.lang)
    plan = plan_of(fresh, ctx.catalog)
    return escape(step_heading(pack, plan, plan.get(fresh.current_step), len(fresh.phases))), link


def _closed_note(client: WebClient, ctx: AppContext, workshop: Workshop) -> str:
    """What a closed step's prompt says: the workshop is over, or where answers go now."""
    pack = ctx.pack(workshop.lang)
    if workshop.status != WorkshopStatus.ACTIVE:
        return pack.text("messages.workshop_closed_note")
    open_step = open_step_link(client, ctx, workshop)
    if open_step is None:
        return pack.text("moving.step_closed_note_unlinked")
    step, link = open_step
    return pack.text("moving.step_closed_note", step=step, link=link)


def progress_line(ctx: AppContext, workshop: Workshop, step_key: str, *, is_open: bool = True) -> str:
    """How many answers a step has, from how many people, as its prompt says it ("so far" while it is open)."""
    with ctx.unit() as session:
        items, people = repo.answer_counts(session, workshop_id=workshop.id, step_key=step_key)
    pack = ctx.pack(workshop.lang)
    return pack.text("messages.progress" if is_open else "messages.progress_closed",
                     answers=pack.count("answers", items), people=pack.count("people", people))


def refresh_prompt(client: WebClient, ctx: AppContext, *, workshop_id: int, step_key: str) -> None:
    """Redraws a step's prompt as it stands now: its answer count, open or closed (and where answers go then).
    Called after every change to the step's answers and when the workshop moves; a failure only leaves it stale."""
    with ctx.unit() as session:
        workshop = repo.workshop_by_id(session, workshop_id=workshop_id)
        post = repo.step_post(session, workshop_id=workshop_id, step_key=step_key)
    if post is None or workshop is None:
        return
    is_open = workshop.status == WorkshopStatus.ACTIVE and workshop.current_step == step_key
    prompt = render_prompt(ctx, workshop, plan_of(workshop, ctx.catalog).get(step_key), due_at=post.due_at,
                           progress=progress_line(ctx, workshop, step_key, is_open=is_open),
                           closed_note=None if is_open else _closed_note(client, ctx, workshop))
    try:
        update_prompt(client, post, prompt)
    except SlackApiError as error:  # the answers are stored; a stale count is no loss
        log.warning("could not update the prompt %s: %s", post.ts, error.response.get("error"))


@dataclass(frozen=True)
class LeadView:
    """A workshop as a lead command sees it: checked to exist and to be led by the caller."""

    workshop: Workshop
    pack: Pack
    user_id: str  # the lead who asks


def channel_language(ctx: AppContext, *, team_id: str, channel_id: str) -> str | None:
    """A channel with a workshop (running, or else the latest) speaks that workshop's language."""
    with ctx.unit() as session:
        workshop = repo.latest_workshop(session, team_id=team_id, channel_id=channel_id)
        return workshop.lang if workshop else None


def workshop_for_lead(ctx: AppContext, *, team_id: str, user_id: str, channel_id: str | None = None,
                      workshop_id: int | None = None, active_only: bool = True) -> LeadView:
    """The channel's active workshop (its latest, if not ``active_only``; or from a modal, the one with
    ``workshop_id``), if ``user_id`` leads it."""
    pack = ctx.pack()
    with ctx.unit() as session:
        if channel_id is None:
            workshop = repo.workshop_in_team(session, workshop_id=workshop_id, team_id=team_id)
        else:
            find = repo.active_workshop if active_only else repo.latest_workshop
            workshop = find(session, team_id=team_id, channel_id=channel_id)
        if workshop is None or (active_only and workshop.status != WorkshopStatus.ACTIVE):
            raise refuse(pack, "messages.no_workshop" if active_only else "messages.no_workshop_ever")
        pack = ctx.pack(workshop.lang)
        leads = repo.lead_ids(session, workshop_id=workshop.id)
    if user_id not in leads:
        raise Refusal(text_message(pack.plural("messages.only_lead", len(leads),
                                                leads=", ".join(f"<@{lead}>" for lead in leads))))
    return LeadView(workshop, pack, user_id)


# -- start ------------------------------------------------------------------------

def start(client: WebClient, ctx: AppContext, *, team_id: str, channel_id: str, user_id: str,
          command: Command, channel_lang: str | None = None) -> Message:
    """Starts a workshop in ``lang:`` or the workspace default; a refusal speaks ``lang:`` or else the
    language of the channel's workshop (``channel_lang``), like every other command there."""
    lang = command.options.get("lang", ctx.settings.default_lang)
    pack = ctx.pack(lang)
    refusals = ctx.pack(command.options.get("lang") or channel_lang or lang)
    title = command.argument
    if not title:
        raise refuse(refusals, "messages.title_missing")
    if len(title) > MAX_TITLE:
        raise refuse(refusals, "messages.title_too_long", length=len(title), limit=MAX_TITLE)
    kind = JourneyKind(command.options.get("kind", ctx.catalog.default_kind))
    template = command.options.get("template", ctx.catalog.default_template)
    phases = list(pack.raw(f"kinds.{kind}.default_phases"))
    plan = build_plan(template=template, phases=phases, catalog=ctx.catalog)
    with ctx.unit() as session:
        try:
            workshop = repo.create_workshop(
                session, team_id=team_id, channel_id=channel_id, title=title, kind=kind, template=template,
                lang=lang, lead_id=user_id, phases=phases, first_step=plan.first().key,
                anonymous=command.options.get("anonymous") == "on",
                dot_votes=int(command.options.get("votes", ctx.catalog.default_dot_votes)))
        except repo.AlreadyActive as running:
            raise refuse(refusals, "messages.already_running", title=escape(running.workshop.title),
                         lead=f"<@{running.workshop.lead_id}>") from None
    try:
        _join(client, channel_id)
        kickoff = render_kickoff(ctx, workshop)
        kickoff_ts = client.chat_postMessage(channel=channel_id, text=kickoff.text, blocks=kickoff.blocks)["ts"]
        first = plan.first()
        prompt = render_prompt(ctx, workshop, first)
        prompt_ts = client.chat_postMessage(channel=channel_id, text=prompt.text, blocks=prompt.blocks)["ts"]
    except SlackApiError as error:
        with ctx.unit() as session:  # nobody saw a workshop start, so none is kept
            repo.delete_workshop(session, workshop_id=workshop.id)
        if error.response.get("error") in ("not_in_channel", "channel_not_found"):
            raise refuse(pack, "messages.invite_needed") from None
        raise
    with ctx.unit() as session:
        repo.set_kickoff(session, workshop_id=workshop.id, ts=kickoff_ts)
        repo.record_step_post(session, workshop_id=workshop.id, step_key=first.key, channel_id=channel_id, ts=prompt_ts)
        if command.options.get("canvas", "on" if ctx.settings.canvas_default else "off") == "on":
            canvas_store.want_canvas(session, workshop_id=workshop.id)  # made after the lead hears back
    return text_message(pack.text("messages.started", title=escape(title)))


def render_kickoff(ctx: AppContext, workshop: Workshop, *, canvas_link: str | None = None) -> Message:
    pack = ctx.pack(workshop.lang)
    return kickoff_message(pack, title=workshop.title, kind=workshop.kind, template=workshop.template,
                           lead_id=workshop.lead_id, steps=step_list(pack, plan_of(workshop, ctx.catalog), escape),
                           anonymous=workshop.anonymous, canvas_link=canvas_link)


def canvas_link(client: WebClient, workshop: Workshop, canvas_id: str) -> str:
    """Where a standalone canvas opens; the kickoff links it (a channel's own canvas is in its tab)."""
    return f"{client.auth_test()['url']}docs/{workshop.team_id}/{canvas_id}"


def redraw_kickoff(client: WebClient, ctx: AppContext, workshop_id: int, *, canvas_link_now: str | None = None) -> None:
    """The kickoff as the workshop stands: its list of steps (the phases may have changed) and the link to its
    standalone canvas, if it has one (``canvas_link_now`` when the caller just made it)."""
    with ctx.unit() as session:
        workshop = repo.workshop_by_id(session, workshop_id=workshop_id)
        canvas = canvas_store.canvas_of(session, workshop_id=workshop_id)
    if workshop is None or not workshop.kickoff_ts:
        return
    link = canvas_link_now
    try:
        if link is None and canvas is not None and canvas.canvas_id and not canvas.in_channel_tab:
            link = canvas_link(client, workshop, canvas.canvas_id)
        kickoff = render_kickoff(ctx, workshop, canvas_link=link)
        client.chat_update(channel=workshop.channel_id, ts=workshop.kickoff_ts, text=kickoff.text, blocks=kickoff.blocks)
    except SlackApiError as error:  # a deleted kickoff: the prompts carry the workshop on
        log.warning("could not redraw the kickoff of workshop %s: %s", workshop_id, error.response.get("error"))


def _join(client: WebClient, channel_id: str) -> None:
    """Joins a public channel, since only members receive its thread replies; private channels must invite the bot."""
    try:
        client.conversations_join(channel=channel_id)
    except SlackApiError as error:
        if error.response.get("error") != "method_not_supported_for_channel_type":
            raise


def update_prompt(client: WebClient, post: StepPost, message: Message) -> bool:
    """Shows ``message`` in place of a step's prompt; False when someone deleted the prompt in Slack."""
    try:
        client.chat_update(channel=post.channel_id, ts=post.ts, text=message.text, blocks=message.blocks)
    except SlackApiError as error:
        if error.response.get("error") != "message_not_found":
            raise
        return False
    return True


# -- phases ---------------------------------------------------------------------------------

def settle_phases(client: WebClient, ctx: AppContext, lead: LeadView, text: str) -> Message:
    workshop, pack = lead.workshop, lead.pack
    try:
        phases = parse_phase_list(text)
    except PhaseListError as error:  # the values quote the lead's phase names
        raise refuse(pack, error.key, **{k: escape(str(v)) for k, v in error.values.items()}) from None
    with ctx.unit() as session:  # the insights named by a phase move with it, as the notes keyed by its number
        old = repo.phases_for_update(session, workshop_id=workshop.id)
        moves = phase_moves(old, phases, repo.phase_placed_items(session, workshop_id=workshop.id))
        repo.set_item_phases(session, phases=moves)
        repo.set_phases(session, workshop_id=workshop.id, phases=phases)
        canvas_store.mark_stale(session, workshop_id=workshop.id)
    refresh_prompt(client, ctx, workshop_id=workshop.id, step_key=workshop.current_step)  # "step n of N", the suggestion
    redraw_kickoff(client, ctx, workshop.id)  # its list of steps names the phases
    return text_message(pack.text("messages.phases_set", phases=", ".join(escape(p) for p in phases)))

