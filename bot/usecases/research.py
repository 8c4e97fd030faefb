"""The research round: the team's assumptions on board messages in the channel, verdicts that rest on
evidence, volunteers, new findings, and private nudges for open checks.

A board is one message per phase and lane (paged to fit Slack's 50 blocks); a click or a modal
changes the database first, then the boards of that phase and lane are drawn again in place. What the
canvas shows (the round opening, a verdict with evidence, a settled dispute, a finding) marks it stale in
the same unit of work; the listener writes it once the person has their answer (``canvases.catch_up``).
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.usecases import canvases
from bot.usecases.answers import BadAnswer, Outcome, Reply, check_answer
from bot.usecases.reporting import display_names
from bot.usecases.workshops import LeadView, refuse
from bot.wiring.context import AppContext
from flows.home import HomeEvidence, HomeNote, HomeResearch
from flows.replies import clean_text, parse_reply
from flows.research import (
    DISPUTED,
    FOUND,
    OPEN,
    STATE_MARKS,
    UNCLEAR,
    VERDICTS,
    BoardNote,
    BoardPage,
    EvidenceErrors,
    board_pages,
    note_state,
    phase_number_of,
    read_evidence,
    states_by_item,
)
from flows.texts import Pack
from flows.vocabulary import Evidence
from renderers.mrkdwn import clip, escape
from renderers.slack import Message, evidence_modal, finding_modal, research_board, state_word, text_message
from storage import canvases as canvas_store
from storage import repository as repo
from storage.models import Workshop

log = logging.getLogger(__name__)
CHECK = "check"


def sources(ctx: AppContext) -> tuple[str, ...]:
    """Where research can come from: every evidence value but an assumption."""
    return tuple(value for value in ctx.catalog.evidence_values if value != Evidence.ASSUMPTION)


def _lane_order(ctx: AppContext, workshop: Workshop) -> tuple[str, ...]:
    return ctx.catalog.steps["journey"].lanes_for(workshop.kind)


def _short(text: str, limit: int = 200) -> str:
    return escape(clip(" ".join(text.split()), limit))


# -- the boards -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Round:
    """A workshop's research as stored, read in one unit of work."""

    workshop: Workshop
    notes: list  # the assumption notes of the journey, oldest first (Item rows)
    texts: dict[int, str]  # every note's text, findings included
    states: dict[int, str]
    evidence: list
    volunteers: list
    posts: list
    theme_edits: list  # the lead's theme corrections, so the boards group notes as the summary does


def _load(session, ctx: AppContext, workshop: Workshop) -> _Round:
    lanes = _lane_order(ctx, workshop)
    items = repo.items_of(session, workshop_id=workshop.id)
    notes = [item for item in items if item.evidence == Evidence.ASSUMPTION and item.lane in lanes
             and (phase_number_of(item.step_key) or 0) in range(1, len(workshop.phases) + 1)]
    return _Round(workshop, notes, texts={item.id: item.text for item in items},
                  states=states_by_item(repo.verdicts_in(session, workshop_id=workshop.id)),
                  evidence=repo.evidence_in(session, workshop_id=workshop.id),
                  volunteers=repo.volunteers_in(session, workshop_id=workshop.id),
                  posts=repo.research_posts(session, workshop_id=workshop.id),
                  theme_edits=repo.theme_edits(session, workshop_id=workshop.id))


def _pages(client: WebClient, ctx: AppContext, loaded: _Round) -> list[BoardPage]:
    workshop = loaded.workshop
    people = {note.author_id for note in loaded.notes} | {v.user_id for v in loaded.volunteers}
    names = {} if workshop.anonymous else display_names(client, ctx, team_id=workshop.team_id, user_ids=people)
    counts = Counter(e.item_id for e in loaded.evidence if e.verdict != FOUND)
    volunteers: dict[int, list[str]] = {}
    for volunteer in loaded.volunteers:
        volunteers.setdefault(volunteer.item_id, []).append(names.get(volunteer.user_id, volunteer.user_id))
    notes = [(phase_number_of(item.step_key), item.lane, BoardNote(
        item_id=item.id, text=item.text, author=names.get(item.author_id, item.author_id) if names else None,
        state=loaded.states.get(item.id, OPEN), evidence=counts[item.id],
        volunteers=tuple(volunteers.get(item.id, ())))) for item in loaded.notes]
    return board_pages(workshop.phases, _lane_order(ctx, workshop), notes, loaded.theme_edits)


def _sync_boards(client: WebClient, ctx: AppContext, loaded: _Round, *, post_new: bool,
                 only: tuple[int, str] | None = None) -> int:
    """Draws the boards again in place (and posts pages that have none yet, with ``post_new``)."""
    workshop, pack = loaded.workshop, ctx.pack(loaded.workshop.lang)
    posted = {(post.phase_number, post.lane, post.page): post for post in loaded.posts}
    count = 0
    boards = [board for board in _pages(client, ctx, loaded) if not only or (board.phase_number, board.lane) == only]
    for board in boards:
        message = research_board(pack, workshop_id=workshop.id, board=board, anonymous=workshop.anonymous)
        post = posted.pop((board.phase_number, board.lane, board.page), None)
        if post is not None:
            _update_board(client, post, message)
        elif post_new:
            ts = client.chat_postMessage(channel=workshop.channel_id, text=message.text, blocks=message.blocks)["ts"]
            with ctx.unit() as session:
                repo.record_research_post(session, workshop_id=workshop.id, phase_number=board.phase_number,
                                          lane=board.lane, page=board.page, channel_id=workshop.channel_id, ts=ts)
        count += 1
    for (phase_number, lane, _), post in posted.items():  # pages whose notes were deleted meanwhile
        if not only or (phase_number, lane) == only:
            _update_board(client, post, text_message(pack.text("research.board_empty")))
    return count


def _update_board(client: WebClient, post, message: Message) -> None:
    try:
        client.chat_update(channel=post.channel_id, ts=post.ts, text=message.text, blocks=message.blocks)
    except SlackApiError as error:  # the research is stored; a stale or deleted board is no loss
        log.warning("could not update research board %s: %s", post.ts, error.response.get("error"))


def open_round(client: WebClient, ctx: AppContext, lead: LeadView) -> Message:
    """`/journey research` (or a template's research step): the announcement once, then the boards; run
    again, it brings the boards up to date and posts pages for assumptions added since."""
    workshop, pack = lead.workshop, lead.pack
    with ctx.unit() as session:
        loaded = _load(session, ctx, workshop)
        already_open = repo.research_round(session, workshop_id=workshop.id) is not None
    if not loaded.notes:
        raise refuse(pack, "research.no_assumptions")
    if not already_open:
        client.chat_postMessage(channel=workshop.channel_id, text=pack.text(
            "research.round_opened", lead=f"<@{lead.user_id}>", notes=pack.count("assumptions", len(loaded.notes))))
        with ctx.unit() as session:
            repo.open_research_round(session, workshop_id=workshop.id, opened_by=lead.user_id)
            canvas_store.mark_stale(session, workshop_id=workshop.id)  # the checklist appears
    boards = _sync_boards(client, ctx, loaded, post_new=True)
    return text_message(pack.text("research.opened", boards=pack.count("board_messages", boards),
                                           notes=pack.count("assumptions", len(loaded.notes))))


def refresh_boards(client: WebClient, ctx: AppContext, *, workshop_id: int, step_key: str | None = None,
                   lane: str | None = None) -> None:
    """Redraws a workshop's boards: those of one phase and lane when given (after a click or a modal),
    else all of them (a note was edited or deleted in Slack)."""
    with ctx.unit() as session:
        workshop = repo.workshop_by_id(session, workshop_id=workshop_id)
        if workshop is None or repo.research_round(session, workshop_id=workshop_id) is None:
            return
        loaded = _load(session, ctx, workshop)
    _sync_boards(client, ctx, loaded, post_new=False, only=(phase_number_of(step_key), lane) if step_key else None)


# -- clicks on a board ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Click:
    team_id: str
    channel_id: str
    user_id: str
    choice: str  # confirmed | refuted | unclear | check
    value: str  # "workshop_id:item_id", as the button was made; a forged one finds nothing
    trigger_id: str


class _Answer(Exception):
    """Ends a click with a private answer and nothing stored."""

    def __init__(self, pack: Pack, key: str, **values: object):
        super().__init__(key)
        self.message = text_message(pack.text(key, **values))


def _open_target(session, ctx: AppContext, *, team_id: str, channel_id: str | None, workshop_id: int, item_id: int):
    """The workshop and assumption a button or modal names, if research on it is still possible."""
    pack = ctx.pack()
    workshop = repo.workshop_in_team(session, workshop_id=workshop_id, team_id=team_id)
    if workshop is None or (channel_id is not None and workshop.channel_id != channel_id):
        raise _Answer(pack, "messages.not_this_workshop")
    pack = ctx.pack(workshop.lang)
    found = repo.item_in_team(session, item_id=item_id, team_id=team_id)
    if found is None or found[0].workshop_id != workshop.id:
        raise _Answer(pack, "research.note_gone")
    _check_open(session, pack, workshop)
    return workshop, found[0], pack


def _check_open(session, pack: Pack, workshop: Workshop) -> None:
    if workshop.status != "active":
        raise _Answer(pack, "research.workshop_closed")
    if repo.research_round(session, workshop_id=workshop.id) is None:
        raise _Answer(pack, "research.no_round")


def _ids(value: str, count: int) -> list[int] | None:
    parts = value.split(":")
    return [int(part) for part in parts[:count]] if len(parts) >= count and all(
        part.isdigit() for part in parts[:count]) else None


def on_click(client: WebClient, ctx: AppContext, click: Click) -> Message | None:
    """Records a verdict, a volunteer or a lead's settling; Confirmed and Refuted open the evidence modal
    instead (None: nothing to say). Returns the private answer."""
    ids = _ids(click.value, 2)
    if ids is None or click.choice not in (*VERDICTS, CHECK):
        return text_message(ctx.pack().text("messages.not_this_workshop"))
    try:
        with ctx.unit() as session:
            workshop, item, pack = _open_target(session, ctx, team_id=click.team_id, channel_id=click.channel_id,
                                                workshop_id=ids[0], item_id=ids[1])
            key = _record_click(session, workshop, item, click)
            state = note_state(repo.verdicts_on(session, item_id=item.id))
    except _Answer as answer:
        return answer.message
    if key is None:  # Confirmed or Refuted: the evidence comes first
        client.views_open(trigger_id=click.trigger_id, view=evidence_modal(
            pack, metadata={"w": workshop.id, "i": item.id}, note=item.text, verdict=click.choice,
            sources=sources(ctx)))
        return None
    refresh_boards(client, ctx, workshop_id=workshop.id, step_key=item.step_key, lane=item.lane)
    return text_message(pack.text(key, text=_short(item.text), state=state_word(pack, state)))


def _record_click(session, workshop: Workshop, item, click: Click) -> str | None:
    """The pack key of the answer, or None when the evidence modal should open."""
    if click.choice == CHECK:
        added = repo.add_volunteer(session, workshop_id=workshop.id, item_id=item.id, user_id=click.user_id)
        return "research.volunteered" if added else "research.already_volunteered"
    if click.choice == UNCLEAR:
        changed = repo.set_verdict(session, workshop_id=workshop.id, item_id=item.id, user_id=click.user_id,
                                   verdict=UNCLEAR)
        return "research.unclear_recorded" if changed else "research.already_unclear"
    state = note_state(repo.verdicts_on(session, item_id=item.id))
    if state == DISPUTED and click.user_id in repo.lead_ids(session, workshop_id=workshop.id):
        repo.set_verdict(session, workshop_id=workshop.id, item_id=item.id, user_id=click.user_id,
                         verdict=click.choice, settled=True)
        canvas_store.mark_stale(session, workshop_id=workshop.id)
        return "research.settled"
    mine = repo.verdict_of(session, item_id=item.id, user_id=click.user_id)
    if mine is not None and mine.verdict == click.choice and mine.evidence_id is not None:
        return f"research.already_{click.choice}"
    return None


# -- the modals ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Submission:
    """An evidence or finding modal as submitted."""

    team_id: str
    user_id: str
    view_id: str
    metadata: str
    values: dict  # block id → the value typed or picked


@dataclass(frozen=True)
class Stored:
    """What a modal stored, for the follow-up once the modal has closed (plain values only)."""

    team_id: str
    channel_id: str
    user_id: str
    workshop_id: int
    step_key: str
    lane: str
    notice: str


def _metadata(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _evidence_input(ctx: AppContext, submission: Submission):
    values = submission.values
    return read_evidence(text=values.get("found") or "", source=values.get("source"), people=values.get("people") or "",
                         link=values.get("link") or "", sources=sources(ctx), clean=clean_text)


def on_evidence(ctx: AppContext, submission: Submission) -> tuple[dict[str, str], Stored | None]:
    """Stores evidence and the verdict it carries, or says (per field) what keeps it from being stored.
    A second submission of the same modal stores nothing and says nothing."""
    meta = _metadata(submission.metadata)
    verdict = submission.values.get("verdict")
    pack = ctx.pack()
    try:
        with ctx.unit() as session:
            if not (isinstance(meta.get("w"), int) and isinstance(meta.get("i"), int)):
                raise _Answer(pack, "messages.not_this_workshop")
            workshop, item, pack = _open_target(session, ctx, team_id=submission.team_id, channel_id=None,
                                                workshop_id=meta["w"], item_id=meta["i"])
            if verdict not in VERDICTS:
                return {"verdict": pack.text("research.verdict_needed")}, None
            found = _evidence_input(ctx, submission)
            evidence, created = repo.add_evidence(
                session, workshop_id=workshop.id, item_id=item.id, author_id=submission.user_id, verdict=verdict,
                text=found.text, source=found.source, people=found.people, link=found.link,
                dedupe_key=f"view:{submission.view_id}")
            if not created:
                return {}, None
            repo.set_verdict(session, workshop_id=workshop.id, item_id=item.id, user_id=submission.user_id,
                             verdict=verdict, evidence_id=evidence.id)
            canvas_store.mark_stale(session, workshop_id=workshop.id)
            state = note_state(repo.verdicts_on(session, item_id=item.id))
    except _Answer as answer:
        return {"found": answer.message.text}, None
    except EvidenceErrors as invalid:
        return {error.field: pack.text(error.key, **error.values) for error in invalid.errors}, None
    except SQLAlchemyError:
        log.exception("could not store evidence")
        return {"found": pack.text("messages.modal_save_failed")}, None
    notice = pack.text("research.evidence_recorded", text=_short(item.text), state=state_word(pack, state))
    if state == DISPUTED:
        notice += "\n" + pack.text("research.disputed_for_lead", text=_short(item.text))
    return {}, Stored(submission.team_id, workshop.channel_id, submission.user_id, workshop.id, item.step_key,
                      item.lane, notice)


def on_finding(ctx: AppContext, submission: Submission) -> tuple[dict[str, str], Stored | None]:
    """Stores a new finding for the board's phase and lane, with its detail (how many people, a link)."""
    meta = _metadata(submission.metadata)
    pack = ctx.pack()
    try:
        with ctx.unit() as session:
            workshop = isinstance(meta.get("w"), int) and repo.workshop_in_team(
                session, workshop_id=meta["w"], team_id=submission.team_id)
            if not workshop:
                raise _Answer(pack, "messages.not_this_workshop")
            pack = ctx.pack(workshop.lang)
            _check_open(session, pack, workshop)
            phase_number, lane = meta.get("p"), meta.get("l")
            if not (isinstance(phase_number, int) and 1 <= phase_number <= len(workshop.phases)) \
                    or lane not in _lane_order(ctx, workshop):
                raise _Answer(pack, "messages.not_this_workshop")
            found = _evidence_input(ctx, submission)
            feeling = submission.values.get("feeling")
            item, created = repo.add_item(
                session, workshop_id=workshop.id, step_key=f"journey:{phase_number}", phase=workshop.phases[phase_number - 1],
                lane=lane, text=found.text, feeling=int(feeling) if feeling in ("1", "0", "-1") else None,
                evidence=found.source, author_id=submission.user_id, source="modal",
                dedupe_key=f"view:{submission.view_id}")
            if not created:
                return {}, None
            repo.add_evidence(session, workshop_id=workshop.id, item_id=item.id, author_id=submission.user_id,
                              verdict=FOUND, text=found.text, source=found.source, people=found.people,
                              link=found.link, dedupe_key=f"finding:view:{submission.view_id}")
            canvas_store.mark_stale(session, workshop_id=workshop.id)
    except _Answer as answer:
        return {"found": answer.message.text}, None
    except EvidenceErrors as invalid:
        return {error.field: pack.text(error.key, **error.values) for error in invalid.errors}, None
    except SQLAlchemyError:
        log.exception("could not store a finding")
        return {"found": pack.text("messages.modal_save_failed")}, None
    notice = pack.text("research.finding_recorded", lane=pack.lane_label(lane),
                       phase=escape(workshop.phases[phase_number - 1]))
    return {}, Stored(submission.team_id, workshop.channel_id, submission.user_id, workshop.id, item.step_key,
                      lane, notice)


def open_finding_modal(client: WebClient, ctx: AppContext, *, team_id: str, channel_id: str, user_id: str,
                       value: str, trigger_id: str) -> Message | None:
    """The board's Add a finding button; a private answer instead when the round is over."""
    workshop_id, phase_number, lane = (value.split(":") + ["", "", ""])[:3]
    pack = ctx.pack()
    try:
        with ctx.unit() as session:
            workshop = workshop_id.isdigit() and repo.workshop_in_team(session, workshop_id=int(workshop_id),
                                                                      team_id=team_id)
            if not workshop or workshop.channel_id != channel_id or not phase_number.isdigit() \
                    or not 1 <= int(phase_number) <= len(workshop.phases) or lane not in _lane_order(ctx, workshop):
                raise _Answer(pack, "messages.not_this_workshop")
            pack = ctx.pack(workshop.lang)
            _check_open(session, pack, workshop)
    except _Answer as answer:
        return answer.message
    number = int(phase_number)
    client.views_open(trigger_id=trigger_id, view=finding_modal(
        pack, metadata={"w": workshop.id, "p": number, "l": lane}, phase=workshop.phases[number - 1], lane=lane,
        feeling=lane == ctx.catalog.steps["journey"].feeling_lane, sources=sources(ctx)))
    return None


def after_modal(client: WebClient, ctx: AppContext, stored: Stored) -> None:
    """Once the modal has closed: the boards show the new state, the person hears what it came to, and
    then the canvas catches up."""
    refresh_boards(client, ctx, workshop_id=stored.workshop_id, step_key=stored.step_key, lane=stored.lane)
    client.chat_postEphemeral(channel=stored.channel_id, user=stored.user_id, text=stored.notice)
    canvases.catch_up(client, ctx, team_id=stored.team_id, channel_id=stored.channel_id)


# -- findings in a board's thread -------------------------------------------------------------------------

def receive_board_reply(ctx: AppContext, reply: Reply) -> Outcome | None:
    """A reply in a board's thread is a new finding for its phase and lane, if it says where it comes from
    (#interview …); None for threads that are not boards."""
    pack = ctx.pack()
    try:
        with ctx.unit() as session:
            found = repo.research_post_at(session, team_id=reply.team_id, channel_id=reply.channel_id,
                                          ts=reply.thread_ts)
            if found is None:
                return None
            workshop, post = found
            pack = ctx.pack(workshop.lang)
            if workshop.status != "active" or post.phase_number > len(workshop.phases):
                raise BadAnswer("messages.step_gone", text=escape(reply.text))
            journey = ctx.catalog.steps["journey"]
            parsed = parse_reply(reply.text, lanes=(post.lane,), pack=pack, catalog=ctx.catalog,
                                 feeling_lane=journey.feeling_lane if post.lane == journey.feeling_lane else None)
            check_answer(parsed, reply.text, pack)
            if parsed.evidence == "assumption":
                raise BadAnswer("research.needs_tag", text=escape(reply.text))
            item, created = repo.add_item(
                session, workshop_id=workshop.id, step_key=f"journey:{post.phase_number}",
                phase=workshop.phases[post.phase_number - 1], lane=post.lane, text=parsed.text, feeling=parsed.feeling,
                evidence=parsed.evidence, author_id=reply.user_id, source="thread", dedupe_key=reply.dedupe_key,
                message_ts=reply.ts)
            if created:
                repo.add_evidence(session, workshop_id=workshop.id, item_id=item.id, author_id=reply.user_id,
                                  verdict=FOUND, text=parsed.text, source=parsed.evidence, people=None, link=None,
                                  dedupe_key=f"finding:{reply.dedupe_key}")
                canvas_store.mark_stale(session, workshop_id=workshop.id)
    except BadAnswer as bad:
        return Outcome(reply, notice=text_message(pack.text(bad.key, **bad.values)))
    except SQLAlchemyError:
        log.exception("could not store a finding")
        return Outcome(reply, notice=text_message(pack.text("messages.save_failed", text=escape(reply.text))))
    if not created:
        return Outcome(reply)
    return Outcome(reply, new_item_id=item.id, workshop_id=workshop.id, step_key=item.step_key, canvas_stale=True)


# -- nudges and the Home tab ------------------------------------------------------------------------------

def remind_volunteers(client: WebClient, ctx: AppContext, lead: LeadView) -> str | None:
    """During the round, `/journey remind` also nudges each volunteer, by direct message, about the
    assumptions they offered to check and have added no evidence to; None when there is no round."""
    workshop, pack = lead.workshop, lead.pack
    with ctx.unit() as session:
        if repo.research_round(session, workshop_id=workshop.id) is None:
            return None
        loaded = _load(session, ctx, workshop)
    evidence_from = {(e.item_id, e.author_id) for e in loaded.evidence if e.verdict != FOUND}
    notes = {note.id: note for note in loaded.notes}
    open_checks: dict[str, list] = {}
    for volunteer in loaded.volunteers:
        if volunteer.item_id in notes and (volunteer.item_id, volunteer.user_id) not in evidence_from:
            open_checks.setdefault(volunteer.user_id, []).append(notes[volunteer.item_id])
    if not open_checks:
        return pack.text("research.nobody_to_nudge")
    for user_id, items in open_checks.items():
        lines = "\n".join(f"• {STATE_MARKS[loaded.states.get(item.id, OPEN)]} {_short(item.text)}" for item in items)
        text = pack.text("research.nudge", title=escape(workshop.title), channel=workshop.channel_id,
                         assumptions=pack.count("assumptions", len(items)), notes=lines)
        try:
            client.chat_postMessage(channel=user_id, text=text)
        except SlackApiError as error:  # the others are still reminded
            log.warning("could not remind %s of their checks: %s", user_id, error.response.get("error"))
    return pack.text("research.nudged", people=pack.count("volunteers", len(open_checks)),
                     checks=pack.count("open_checks", sum(map(len, open_checks.values()))))


def home_research(ctx: AppContext, workshops: list[Workshop], *, user_id: str) -> tuple[HomeResearch, ...]:
    """Each active workshop's round as this person's Home tab lists it."""
    result = []
    with ctx.unit() as session:
        with_round = repo.research_rounds_of(session, workshop_ids=[workshop.id for workshop in workshops])
        for workshop in workshops:
            if workshop.id in with_round:
                result.append(_home_round(_load(session, ctx, workshop), user_id, _lane_order(ctx, workshop)))
    return tuple(result)


def _home_round(loaded: _Round, user_id: str, lane_order: tuple[str, ...]) -> HomeResearch:
    """Every assumption in map order (phase, then lane), this person's checks and evidence."""
    workshop = loaded.workshop
    ordered = sorted(loaded.notes, key=lambda item: (phase_number_of(item.step_key), lane_order.index(item.lane)))
    notes = {item.id: HomeNote(phase_number_of(item.step_key), workshop.phases[phase_number_of(item.step_key) - 1],
                               item.lane, item.text, loaded.states.get(item.id, OPEN)) for item in ordered}
    mine = {volunteer.item_id for volunteer in loaded.volunteers if volunteer.user_id == user_id}
    evidence = tuple(HomeEvidence(e.verdict, e.text, e.source, loaded.texts[e.item_id]) for e in loaded.evidence
                     if e.author_id == user_id and e.item_id in loaded.texts)
    return HomeResearch(title=workshop.title, lang=workshop.lang, notes=tuple(notes.values()),
                        checks=tuple(note for item_id, note in notes.items() if item_id in mine), evidence=evidence)
