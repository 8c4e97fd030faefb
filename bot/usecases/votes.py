"""Dot voting on the team's "How might we" questions.

Only the team's questions can be voted on (thread answers to the "How might we" prompt, the
modal, or `/journey hmw add`); the bot's drafts in the summary are suggestions until a lead adds
them (Add drafts to the vote, bot/usecases/themes.py) or someone adds one with `/journey hmw add`.
The vote is one message whose counts change in place.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.wiring.context import AppContext
from bot.usecases.reporting import channel_workshop
from bot.usecases.workshops import LeadView, refuse
from flows.replies import MAX_ANSWER_LENGTH, clean_text
from flows.texts import Pack
from flows.vocabulary import AnswerSource, Lane, WorkshopStatus
from renderers.mrkdwn import clip, escape
from renderers.slack import Message, Question, retired_board, text_message, vote_board
from storage import canvases as canvas_store
from storage import repository as repo
from storage.models import Workshop

log = logging.getLogger(__name__)
HMW_LANE = Lane.HMW
HMW_STEP = "hmw"  # the step whose answers are the questions
ADD = "add"


def _questions(session, workshop: Workshop) -> list[Question]:
    counts = repo.vote_counts(session, workshop_id=workshop.id)
    return [Question(item.id, item.text, counts.get(item.id, 0))
            for item in repo.items_in_lane(session, workshop_id=workshop.id, lane=HMW_LANE)]


def _board(pack: Pack, workshop: Workshop, questions: list[Question]) -> Message:
    return vote_board(pack, workshop_id=workshop.id, questions=questions, dot_votes=workshop.dot_votes)


def _update(client: WebClient, workshop: Workshop, ts: str, message: Message) -> None:
    try:
        client.chat_update(channel=workshop.channel_id, ts=ts, text=message.text, blocks=message.blocks)
    except SlackApiError as error:  # the votes are stored; a deleted or stale message is no loss
        log.warning("could not update the vote message %s: %s", ts, error.response.get("error"))


# -- `/journey hmw` -----------------------------------------------------------------------------

def post_board(client: WebClient, ctx: AppContext, lead: LeadView) -> Message:
    """Posts the vote; an older vote message loses its buttons and points to the new one."""
    workshop, pack = lead.workshop, lead.pack
    with ctx.unit() as session:
        questions = _questions(session, workshop)
    if not questions:
        raise refuse(pack, "votes.no_questions")
    board = _board(pack, workshop, questions)
    ts = client.chat_postMessage(channel=workshop.channel_id, text=board.text, blocks=board.blocks)["ts"]
    with ctx.unit() as session:
        old_ts = repo.record_vote_board(session, workshop_id=workshop.id, ts=ts)
        if old_ts:  # the earlier vote ended: the canvas shows its counts
            canvas_store.mark_stale(session, workshop_id=workshop.id)
    if old_ts:
        _update(client, workshop, old_ts, retired_board(pack))
    return text_message(pack.text("votes.posted", questions=pack.count("questions", len(questions)),
                                       votes=pack.count("votes", workshop.dot_votes)))


def add_question(client: WebClient, ctx: AppContext, *, team_id: str, channel_id: str, user_id: str,
                 text: str) -> Message:
    """`/journey hmw add <question>`, for anyone in the workshop's channel; the vote message gains it."""
    workshop = channel_workshop(ctx, team_id=team_id, channel_id=channel_id, active_only=True)
    pack = ctx.pack(workshop.lang)
    question = clean_text(text)
    if not question:
        raise refuse(pack, "votes.add_missing")
    if len(question) > MAX_ANSWER_LENGTH:
        raise refuse(pack, "messages.reply_too_long", length=len(question), limit=MAX_ANSWER_LENGTH,
                     text=escape(question))
    with ctx.unit() as session:
        # Slack does not retry slash commands, so each one is a new question
        repo.add_item(session, workshop_id=workshop.id, step_key=HMW_STEP, phase=None, lane=HMW_LANE, text=question,
                      author_id=user_id, source=AnswerSource.COMMAND, dedupe_key=f"command:{secrets.token_hex(12)}")
    refresh_board(client, ctx, workshop)
    return text_message(pack.text("votes.added", text=escape(question)))


def refresh_board(client: WebClient, ctx: AppContext, workshop: Workshop) -> None:
    """The vote message, if there is one, lists the questions as they are now."""
    if not workshop.vote_board_ts:
        return
    with ctx.unit() as session:
        questions = _questions(session, workshop)
    _update(client, workshop, workshop.vote_board_ts, _board(ctx.pack(workshop.lang), workshop, questions))


# -- a click on Vote --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Click:
    team_id: str
    channel_id: str
    user_id: str
    message_ts: str
    value: str  # "workshop_id:item_id", as the button was made; a forged one finds nothing


def toggle_vote(client: WebClient, ctx: AppContext, click: Click) -> Message:
    """Adds the person's vote to a question, or takes it back; returns what to tell them privately."""
    workshop_id, _, item_id = click.value.partition(":")
    pack = ctx.pack()
    if not (workshop_id.isdigit() and item_id.isdigit()):
        return text_message(pack.text("messages.not_this_workshop"))
    with ctx.unit() as session:
        workshop = repo.workshop_in_team(session, workshop_id=int(workshop_id), team_id=click.team_id)
        item = repo.item_by_id(session, item_id=int(item_id))
        if workshop is None or workshop.channel_id != click.channel_id or item is None \
                or item.workshop_id != workshop.id or item.lane != HMW_LANE:
            return text_message(pack.text("messages.not_this_workshop"))
        pack = ctx.pack(workshop.lang)
        if workshop.status != WorkshopStatus.ACTIVE:
            return text_message(pack.text("votes.closed"))
        mine = repo.votes_of(session, workshop_id=workshop.id, user_id=click.user_id)
        total = workshop.dot_votes
        if item.id in mine:
            repo.remove_vote(session, item_id=item.id, user_id=click.user_id)
            key, left = "votes.unvoted", total - len(mine) + 1
        elif len(mine) >= total:
            return text_message(pack.text("votes.none_left", total=total))
        else:
            repo.add_vote(session, workshop_id=workshop.id, item_id=item.id, user_id=click.user_id)
            key, left = "votes.voted", total - len(mine) - 1
        questions = _questions(session, workshop)
    _update(client, workshop, click.message_ts, _board(pack, workshop, questions))
    return text_message(pack.text(key, text=escape(clip(item.text, 300)), left=left, total=total))
