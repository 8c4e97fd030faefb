"""Storing answers: thread replies, their edits and deletions, modal submissions, and the
clarifying questions when the bot cannot tell where an answer belongs.

An answer is saved before anything is said about it; when saving fails the person gets
their own text back, and a second delivery of the same answer stores nothing new.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Row
from sqlalchemy.exc import SQLAlchemyError

from bot.wiring.context import AppContext
from bot.usecases.workshops import open_step_link, refresh_prompt
from flows.catalog import FEELING_NAMES, Catalog
from flows.engine import Plan, StepRef, filing_step, plan_of, reply_lanes
from flows.prompts import step_heading
from flows.replies import (
    MAX_ANSWER_LENGTH,
    ParsedReply,
    clean_text,
    parse_reply,
    strip_lane_prefix,
    strip_near_miss_prefix,
)
from flows.texts import Pack
from flows.vocabulary import AnswerSource, Evidence, JourneyKind, Lane, WorkshopStatus
from renderers.mrkdwn import escape
from renderers.slack import (
    Message,
    answer_modal,
    feeling_question,
    lane_question,
    text_message,
)
from storage import repository as repo
from storage.models import Item, Workshop

log = logging.getLogger(__name__)
CONFIRM_REACTION = "white_check_mark"


@dataclass(frozen=True)
class Reply:
    """A message someone wrote in a channel, as the bot needs it."""

    team_id: str
    channel_id: str
    user_id: str
    ts: str
    thread_ts: str | None
    text: str

    @property
    def dedupe_key(self) -> str:
        return f"msg:{self.team_id}:{self.channel_id}:{self.ts}"


class BadAnswer(Exception):
    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


def check_answer(parsed: ParsedReply, raw: str, pack: Pack) -> None:
    """Nothing is stored for an empty answer (``insight:`` and nothing after it) or one over the limit."""
    if len(raw) > MAX_ANSWER_LENGTH:
        raise BadAnswer("messages.reply_too_long", length=len(raw), limit=MAX_ANSWER_LENGTH, text=escape(raw))
    if not parsed.text and parsed.feeling is None:
        if parsed.prefixed:
            raise BadAnswer("phase_threads.lane_only", lane=pack.lane_label(parsed.lane))
        raise BadAnswer("messages.stored_nothing")


def _ephemeral(client: WebClient, reply: Reply, message: Message) -> None:
    client.chat_postEphemeral(channel=reply.channel_id, user=reply.user_id, thread_ts=reply.thread_ts,
                              text=message.text, blocks=message.blocks)


# -- thread replies ------------------------------------------------------------------

@dataclass(frozen=True)
class Stored:
    workshop: Row  # the workshop as repo.prompt_at reads it
    ref: StepRef
    item_id: int | None  # None when Slack delivered the reply again
    step_key: str  # the step the answer is one of (flows.engine.filing_step)
    parsed: ParsedReply
    touchpoint: bool = False  # it named touchpoints, which this (user) journey does not take
    plan: Plan | None = None


@dataclass(frozen=True)
class Outcome:
    """What receiving a message came to, for the follow-up once Slack has its answer.
    Plain values only: Bolt copies it into the follow-up's request."""

    reply: Reply | None  # None for a deletion, which has no one to answer
    notice: Message | None = None  # something to tell the author privately
    new_item_id: int | None = None  # a newly stored answer, to confirm
    question: Message | None = None  # where does it belong, or how does the end user feel
    workshop_id: int | None = None  # with step_key: a step whose answers changed, so its prompt's count
    step_key: str | None = None
    moved_from: str | None = None  # an edit moved the answer from this step (its prompt's count changed too)
    kickoff_of: int | None = None  # a reply to this workshop's kickoff: tell its author where answers go
    canvas_stale: bool = False  # a research finding: the workshop's canvas is behind


def receive_reply(ctx: AppContext, reply: Reply) -> Outcome | None:
    """Stores a thread reply to one of our prompts (None for other threads). Only the database is
    touched, so Slack hears back once the answer is safe."""
    pack = ctx.pack()

    def store(session) -> Outcome | None:
        nonlocal pack
        prompt = repo.prompt_at(session, team_id=reply.team_id, channel_id=reply.channel_id, ts=reply.thread_ts)
        if prompt is None:
            kickoff = repo.workshop_with_kickoff(session, team_id=reply.team_id, channel_id=reply.channel_id,
                                                 ts=reply.thread_ts)
            return Outcome(reply, kickoff_of=kickoff.id) if kickoff else None
        pack = ctx.pack(prompt.lang)
        return _outcome(pack, reply, _store_reply(session, ctx, prompt, reply))

    try:
        return ctx.grouped(store)  # answers arriving together share one commit
    except BadAnswer as bad:
        return Outcome(reply, notice=text_message(pack.text(bad.key, **bad.values)))
    except SQLAlchemyError:
        log.exception("could not store a thread reply")
        return Outcome(reply, notice=text_message(pack.text("messages.save_failed", text=escape(reply.text))))


def _store_reply(session, ctx: AppContext, workshop: Row, reply: Reply) -> Stored:
    """``workshop``: the row of repo.prompt_at, the workshop and the prompt's step_key."""
    if workshop.status != WorkshopStatus.ACTIVE or workshop.step_key != workshop.current_step:
        raise BadAnswer("messages.step_gone", text=escape(reply.text))
    plan = plan_of(workshop, ctx.catalog)
    ref = plan.get(workshop.step_key)
    if ref.step.opens_research:  # findings need a phase: they go on the research boards
        raise BadAnswer("research.reply_on_board", text=escape(reply.text))
    pack = ctx.pack(workshop.lang)
    lanes = reply_lanes(workshop, plan, ref)
    parsed = parse_reply(reply.text, lanes=lanes, feeling_lane=ref.step.feeling_lane, pack=pack, catalog=ctx.catalog)
    touchpoint = parsed.needs_lane and _takes_touchpoints_elsewhere(ref, lanes)
    if touchpoint:
        rest = strip_lane_prefix(parsed.text, Lane.TOUCHPOINTS, pack)
        touchpoint = rest is not None
        parsed = replace(parsed, text=rest) if touchpoint else parsed
    check_answer(parsed, reply.text, pack)
    lane = None if parsed.needs_lane else parsed.lane
    step_key = filing_step(plan, ref, lane).key
    item_id = repo.insert_item_once(session, repo.item_values(
        workshop_id=workshop.id, step_key=step_key, phase=ref.phase, lane=lane, text=parsed.text,
        feeling=parsed.feeling, evidence=parsed.evidence, author_id=reply.user_id, source=AnswerSource.THREAD,
        dedupe_key=reply.dedupe_key, message_ts=reply.ts))
    return Stored(workshop, ref, item_id, step_key, parsed, touchpoint, plan)


def _takes_touchpoints_elsewhere(ref: StepRef, lanes: tuple[str, ...]) -> bool:
    """A step that takes touchpoints in customer journeys but not here (in a user journey)."""
    return Lane.TOUCHPOINTS not in lanes and Lane.TOUCHPOINTS in ref.step.lanes_for(JourneyKind.CUSTOMER)


def _outcome(pack: Pack, reply: Reply, stored: Stored) -> Outcome:
    if stored.item_id is None:  # Slack delivered it again; it was confirmed the first time
        return Outcome(reply)
    question = None
    if stored.parsed.needs_lane:
        question = lane_question(pack, item_id=stored.item_id, text=stored.parsed.text,
                                 lanes=reply_lanes(stored.workshop, stored.plan, stored.ref),
                                 lead_in=pack.text("unsorted.touchpoints_customer_only") if stored.touchpoint else None)
    elif stored.parsed.needs_feeling:
        question = feeling_question(pack, item_id=stored.item_id, text=stored.parsed.text)
    return Outcome(reply, new_item_id=stored.item_id, question=question, workshop_id=stored.workshop.id,
                   step_key=stored.step_key)


def follow_up(client: WebClient, ctx: AppContext, outcome: Outcome) -> None:
    """A private notice; for a new answer a quiet reaction and a question if the lane or feeling is
    unclear; for a reply to the kickoff, where answers go; and the count on the prompt of a changed step."""
    if outcome.notice:
        _ephemeral(client, outcome.reply, outcome.notice)
    if outcome.kickoff_of is not None:
        _ephemeral(client, outcome.reply, _where_answers_go(client, ctx, outcome.kickoff_of))
    if outcome.new_item_id is not None:
        try:
            client.reactions_add(channel=outcome.reply.channel_id, timestamp=outcome.reply.ts, name=CONFIRM_REACTION)
        except SlackApiError as error:
            if error.response.get("error") != "already_reacted":
                log.warning("could not confirm answer %s: %s", outcome.new_item_id, error.response.get("error"))
        if outcome.question:
            _ephemeral(client, outcome.reply, outcome.question)
    if outcome.workshop_id is not None:
        refresh_count(client, ctx, workshop_id=outcome.workshop_id, step_key=outcome.step_key)
    if outcome.moved_from is not None:
        refresh_count(client, ctx, workshop_id=outcome.workshop_id, step_key=outcome.moved_from)


def refresh_count(client: WebClient, ctx: AppContext, *, workshop_id: int, step_key: str) -> None:
    """Redraws the prompt with its new count; a burst of answers redraws it once (see AppContext.progress)."""
    ctx.progress.request((workshop_id, step_key),
                         lambda: refresh_prompt(client, ctx, workshop_id=workshop_id, step_key=step_key))


def _where_answers_go(client: WebClient, ctx: AppContext, workshop_id: int) -> Message:
    """For a reply in the kickoff's thread: the open prompt, with a link to it (nothing was stored)."""
    with ctx.unit() as session:
        workshop = repo.workshop_by_id(session, workshop_id=workshop_id)
    pack = ctx.pack(workshop.lang)
    if workshop.status != WorkshopStatus.ACTIVE:
        return text_message(pack.text("kickoff_thread.closed"))
    open_step = open_step_link(client, ctx, workshop)
    if open_step is None:
        plan = plan_of(workshop, ctx.catalog)
        step = escape(step_heading(pack, plan, plan.get(workshop.current_step), len(workshop.phases)))
        return text_message(pack.text("kickoff_thread.where_unlinked", step=step))
    step, link = open_step
    return text_message(pack.text("kickoff_thread.where", step=step, link=link))


# -- edits and deletions -------------------------------------------------------------

def receive_edit(ctx: AppContext, reply: Reply) -> Outcome | None:
    """Applies an edited reply to its answer; an edit that empties it keeps the answer and says why."""
    pack = ctx.pack()
    try:
        with ctx.unit() as session:
            item = repo.item_by_dedupe_key(session, dedupe_key=reply.dedupe_key)
            if item is None or item.author_id != reply.user_id:
                return None
            workshop = repo.workshop_by_id(session, workshop_id=item.workshop_id)
            pack = ctx.pack(workshop.lang)
            plan = plan_of(workshop, ctx.catalog)
            ref = _answered_step(session, plan, workshop, item, reply)
            parsed = parse_reply(reply.text, lanes=reply_lanes(workshop, plan, ref), feeling_lane=ref.step.feeling_lane,
                                 pack=pack, catalog=ctx.catalog)
            check_answer(parsed, reply.text, pack)
            lane = item.lane if parsed.needs_lane else parsed.lane
            before = item.step_key
            repo.update_item(session, item=item, text=parsed.text, evidence=parsed.evidence, lane=lane,
                             step_key=filing_step(plan, ref, lane).key if lane else before,
                             feeling=parsed.feeling if parsed.feeling is not None else item.feeling)
            repo.sync_finding(session, item=item, actor_id=reply.user_id)
            return Outcome(reply, workshop_id=item.workshop_id, step_key=item.step_key,
                           moved_from=before if before != item.step_key else None)
    except BadAnswer as bad:
        return Outcome(reply, notice=text_message(pack.text(bad.key, **bad.values)))


def _answered_step(session, plan: Plan, workshop: Workshop, item: Item, reply: Reply) -> StepRef:
    """The step whose prompt the reply is in: a phase's, for an insight given in its thread (and filed under
    the opportunities); the answer's own step for other threads (such as a research board's)."""
    prompt = repo.prompt_at(session, team_id=reply.team_id, channel_id=reply.channel_id, ts=reply.thread_ts)
    if prompt is not None and prompt.id == workshop.id:
        return plan.get(prompt.step_key)
    return plan.get(item.step_key)


def receive_deletion(ctx: AppContext, *, team_id: str, channel_id: str, ts: str) -> Outcome | None:
    """Removes the answer a deleted reply was; its prompt's count follows."""
    with ctx.unit() as session:
        item = repo.item_by_dedupe_key(session, dedupe_key=f"msg:{team_id}:{channel_id}:{ts}")
        if item is None:
            return None
        repo.delete_item(session, item=item)
        return Outcome(None, workshop_id=item.workshop_id, step_key=item.step_key)


# -- the clarifying questions ------------------------------------------------------------

FEELING_VALUES = ("1", "0", "-1")


@dataclass(frozen=True)
class Choice:
    """What sorting an answer came to: the answer for the person, and the step whose prompt to recount."""

    message: Message
    workshop_id: int | None = None
    step_key: str | None = None
    moved_from: str | None = None  # sorted into a lane another step collects: the step it left, to recount too


def on_choice(ctx: AppContext, *, team_id: str, user_id: str, item_id: int, lane: str | None = None,
              feeling: str | None = None) -> Choice:
    """Files an answer under the lane and/or feeling picked, by its author or (for anyone's) a lead."""
    with ctx.unit() as session:
        found = repo.item_in_team(session, item_id=item_id, team_id=team_id)
        if found is None or not _may_sort(session, found, user_id):
            return Choice(text_message(ctx.pack().text("messages.not_this_workshop")))
        item, workshop = found
        pack = ctx.pack(workshop.lang)
        plan = plan_of(workshop, ctx.catalog)
        ref, before, unsorted = plan.get(item.step_key), item.step_key, item.lane is None
        if lane in reply_lanes(workshop, plan, ref):
            repo.update_item(session, item=item, lane=lane, step_key=filing_step(plan, ref, lane).key)
        if feeling in FEELING_VALUES:
            repo.update_item(session, item=item, feeling=int(feeling), lane=item.lane or ref.step.feeling_lane)
        if unsorted and item.lane and strip_near_miss_prefix(item.text, item.lane) != item.text:
            repo.update_item(session, item=item, text=strip_near_miss_prefix(item.text, item.lane))
        needs_feeling = item.lane == ref.step.feeling_lane and item.feeling is None
        done = Choice(text_message(pack.text("messages.lane_set", lane=pack.lane_label(item.lane) if item.lane else "?",
                                             text=escape(item.text))), workshop.id, item.step_key,
                      moved_from=before if before != item.step_key else None)
    if needs_feeling:
        return replace(done, message=feeling_question(pack, item_id=item.id, text=item.text))
    return done


def refresh_prompts(client: WebClient, ctx: AppContext, choice: Choice) -> None:
    """The counts on the prompts of the step the answer is in and (when sorting moved it) the one it left."""
    if choice.workshop_id is None:
        return
    for step_key in filter(None, (choice.step_key, choice.moved_from)):
        refresh_prompt(client, ctx, workshop_id=choice.workshop_id, step_key=step_key)


def _may_sort(session, found: tuple[Item, Workshop], user_id: str) -> bool:
    item, workshop = found
    return item.author_id == user_id or user_id in repo.lead_ids(session, workshop_id=workshop.id)


def sorting_choices(pack: Pack, workshop: Workshop, plan: Plan, ref: StepRef) -> list[tuple[str, str]]:
    """(value, label) for every place an unsorted answer of this step can go; the feeling lane once per feeling,
    so one pick files it completely. Values read ``lane`` or ``lane:feeling``."""
    choices = []
    for lane in reply_lanes(workshop, plan, ref):
        if lane != ref.step.feeling_lane:
            choices.append((lane, pack.lane_label(lane)))
            continue
        choices += [(f"{lane}:{value}", pack.text("unsorted.feeling_option", lane=pack.lane_label(lane),
                                                  feeling=pack.text(f"feelings.{FEELING_NAMES[int(value)]}")))
                    for value in FEELING_VALUES]
    return choices


# -- the Answer modal --------------------------------------------------------------------

@dataclass(frozen=True)
class ModalAnswer:
    team_id: str
    user_id: str
    view_id: str
    metadata: str
    lane: str | None
    text: str
    feeling: str | None
    why: str
    evidence: str | None
    pictogram: str | None = None  # a storyboard scene's emoji name, picked in the modal

    @property
    def from_home(self) -> bool:
        try:
            return json.loads(self.metadata).get("home") == 1
        except (ValueError, AttributeError):
            return False


def answerable_step(session, catalog: Catalog, *, team_id: str, workshop_id: int, step_key: str,
                    channel_id: str | None = None) -> tuple[Workshop, StepRef] | None:
    """The workshop and step an Answer button or modal names, if it is open and in this workspace (and channel)."""
    workshop = repo.workshop_in_team(session, workshop_id=workshop_id, team_id=team_id)
    if workshop is None or (channel_id is not None and workshop.channel_id != channel_id):
        return None
    if workshop.status != WorkshopStatus.ACTIVE or workshop.current_step != step_key:
        return None
    return workshop, plan_of(workshop, catalog).get(step_key)


def answer_view(ctx: AppContext, workshop: Workshop, ref: StepRef, *, from_home: bool = False) -> dict:
    """The Answer modal for a step; opened from the Home tab, its submission refreshes the tab."""
    pack = ctx.pack(workshop.lang)
    metadata = {"w": workshop.id, "s": ref.key} | ({"home": 1} if from_home else {})
    plan = plan_of(workshop, ctx.catalog)
    return answer_modal(pack, metadata=metadata, step_title=step_heading(pack, plan, ref, len(workshop.phases)),
                        lanes=reply_lanes(workshop, plan, ref),
                        feeling_lane=ref.step.feeling_lane,
                        evidence_values=ctx.catalog.evidence_values,
                        pictograms=ctx.catalog.pictograms if ref.step.section == "storyboard" else ())


def parse_metadata(metadata: str) -> tuple[int, str] | None:
    """The workshop id and step key a modal was opened for (the step key is empty for the phases modal)."""
    try:
        data = json.loads(metadata)
        return int(data["w"]), str(data.get("s", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


@dataclass(frozen=True)
class ModalOutcome:
    errors: dict[str, str]  # per input block, for the modal to show; empty when saved
    new_answer: tuple[int, str] | None = None  # (workshop id, step key) of a newly stored answer


def on_modal_answer(ctx: AppContext, answer: ModalAnswer) -> ModalOutcome:
    """Stores a modal's answer, or says what keeps it from being stored."""
    pack = ctx.pack()
    target = parse_metadata(answer.metadata)

    def store(session) -> ModalOutcome:
        nonlocal pack
        found = target and answerable_step(session, ctx.catalog, team_id=answer.team_id,
                                           workshop_id=target[0], step_key=target[1])
        if not found:
            return ModalOutcome({"text": pack.text("messages.modal_step_gone")})
        workshop, ref = found
        pack = ctx.pack(workshop.lang)
        plan = plan_of(workshop, ctx.catalog)
        errors = _modal_errors(pack, ctx.catalog, workshop, plan, ref, answer)
        if errors:
            return ModalOutcome(errors)
        lane = _modal_lane(workshop, plan, ref, answer)
        filed = filing_step(plan, ref, lane)
        item_id = repo.insert_item_once(session, repo.item_values(
            workshop_id=workshop.id, step_key=filed.key, phase=ref.phase, lane=lane,
            text=_with_pictogram(answer), feeling=int(answer.feeling) if answer.feeling else None,
            why=clean_text(answer.why) or None, evidence=Evidence(answer.evidence or Evidence.ASSUMPTION),
            author_id=answer.user_id, source=AnswerSource.MODAL, dedupe_key=f"view:{answer.view_id}"))
        return ModalOutcome({}, (workshop.id, filed.key) if item_id is not None else None)

    try:
        return ctx.grouped(store)  # like thread replies, answers submitted together share one commit
    except SQLAlchemyError:
        log.exception("could not store a modal answer")
        return ModalOutcome({"text": pack.text("messages.modal_save_failed")})


def _with_pictogram(answer: ModalAnswer) -> str:
    """The answer's text, led by the picked pictogram as Slack writes it (``:bread: …``): the
    storyboard picture draws a caption's first emoji as its scene."""
    text = clean_text(answer.text)
    return f":{answer.pictogram}: {text}" if answer.pictogram else text


def _modal_lane(workshop: Workshop, plan: Plan, ref: StepRef, answer: ModalAnswer) -> str | None:
    lanes = reply_lanes(workshop, plan, ref)
    return lanes[0] if len(lanes) == 1 else answer.lane


def _modal_errors(pack: Pack, catalog: Catalog, workshop: Workshop, plan: Plan, ref: StepRef,
                  answer: ModalAnswer) -> dict[str, str]:
    lane = _modal_lane(workshop, plan, ref, answer)
    errors = {}
    if lane not in reply_lanes(workshop, plan, ref):
        errors["lane"] = pack.text("messages.lane_needed")
    if lane == ref.step.feeling_lane and not answer.feeling:
        errors["feeling"] = pack.text("messages.feeling_needed")
    if answer.feeling and answer.feeling not in {"1", "0", "-1"}:
        errors["feeling"] = pack.text("messages.feeling_needed")
    if not clean_text(answer.text) and not (lane == ref.step.feeling_lane and answer.feeling):
        errors["text"] = pack.text("messages.text_needed")
    if len(answer.text) > MAX_ANSWER_LENGTH:
        errors["text"] = pack.text("messages.reply_too_long", length=len(answer.text), limit=MAX_ANSWER_LENGTH, text="")
    if answer.pictogram and answer.pictogram not in catalog.pictograms:
        errors["pictogram"] = pack.text("pictures.pictogram_needed")
    if answer.evidence and answer.evidence not in catalog.evidence_values:
        errors["evidence"] = pack.text("messages.evidence_needed")
    return errors
