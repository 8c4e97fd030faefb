"""The workshop's canvas: the journey as a document in Slack that follows the workshop.

A canvas is made in the channel's canvas tab where the workspace allows it, else as a standalone
canvas shared (read-only) with the channel and linked from the kickoff message. It is written
whole (one `replace`), and only when the workshop changed in a way it shows: a step closed,
phases settled, a vote replaced, a storyboard caption picked, the workshop closed, `/journey summary`,
a research round opened, a verdict with its evidence, a settled dispute, a new finding. Those changes only
mark the canvas row stale in their own unit of work; `catch_up`, which runs after the person has
their answer, writes the canvas once for however many changes came in meanwhile. Answers never
touch it. Rate limits and server errors are retried by the WebClient's retry handlers (waiting
out Retry-After); a write that still fails leaves the row stale for the next catch-up.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import SQLAlchemyError

from bot.usecases.reporting import workshop_summary
from bot.usecases.workshops import LeadView, canvas_link, redraw_kickoff
from bot.wiring.context import AppContext
from flows.texts import Pack
from renderers.canvas import CanvasPage, assumption_checklist, canvas_title, to_canvas_markdown
from renderers.slack import Message, text_message
from storage import canvases as store
from storage import repository as repo
from storage.models import Workshop, WorkshopCanvas

log = logging.getLogger(__name__)

# The channel's tab is not available, but a standalone canvas may be.
TAB_UNAVAILABLE = frozenset({"team_tier_cannot_create_channel_canvases", "channel_canvas_already_exists",
                             "free_team_canvas_tab_already_exists"})
# What Slack answers when this workspace or plan gives the bot no canvas; each has its own sentence in the pack.
REFUSALS = TAB_UNAVAILABLE | {"canvas_disabled_user_team", "restricted_action"}
GONE = frozenset({"canvas_not_found", "canvas_deleted"})  # deleted in Slack meanwhile


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _error(error: SlackApiError | OSError) -> str:
    """Slack's error code, or the kind of network failure (OSError: Slack did not answer in time)."""
    if isinstance(error, SlackApiError):
        return error.response.get("error") or "unknown_error"
    return type(error).__name__


def _content(markdown: str) -> dict:
    return {"type": "markdown", "markdown": markdown}


def _render(client: WebClient, ctx: AppContext, workshop: Workshop, row: WorkshopCanvas) -> tuple[str, str]:
    """The canvas's title and markdown, as the workshop stands now (with its research round's checklist)."""
    view = workshop_summary(client, ctx, workshop)
    page = CanvasPage(view, map_link=row.map_link, assumptions=assumption_checklist(view))
    return canvas_title(view), to_canvas_markdown(page)


def refusal_sentence(pack: Pack, error: str) -> str:
    """The one sentence the lead is told when Slack would not make the canvas."""
    key = error if error in REFUSALS else "other"
    return pack.text(f"canvas.refused.{key}", error=error)


# -- creating ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Created:
    canvas_id: str
    in_channel_tab: bool
    link: str | None  # a standalone canvas's address; the channel's own canvas is in its tab


@dataclass(frozen=True)
class Refused:
    error: str


def create(client: WebClient, ctx: AppContext, workshop: Workshop) -> Created | Refused | None:
    """Makes the workshop's canvas if this process wins the claim; None if another process is making it
    (or it exists, or Slack refused before and nobody asked again)."""
    with ctx.unit() as session:
        if not store.claim_creation(session, workshop_id=workshop.id, now=_now()):
            return None
        row = store.canvas_of(session, workshop_id=workshop.id)
    revision = row.wanted
    title, markdown = _render(client, ctx, workshop, row)
    try:
        created = _create_in_slack(client, workshop, title, _content(markdown))
    except (SlackApiError, OSError) as error:  # the workshop goes on without a canvas
        code = _error(error)
        with ctx.unit() as session:
            store.record_refusal(session, workshop_id=workshop.id, error=code)
        log.info("no canvas for workshop %s: %s", workshop.id, code)
        return Refused(code)
    with ctx.unit() as session:
        store.record_created(session, workshop_id=workshop.id, canvas_id=created.canvas_id,
                             in_channel_tab=created.in_channel_tab, written=revision)
    if created.link:
        redraw_kickoff(client, ctx, workshop.id, canvas_link_now=created.link)
    return created


def _create_in_slack(client: WebClient, workshop: Workshop, title: str, content: dict) -> Created:
    try:
        canvas_id = client.conversations_canvases_create(channel_id=workshop.channel_id, title=title,
                                                         document_content=content)["canvas_id"]
        return Created(canvas_id, in_channel_tab=True, link=None)
    except SlackApiError as error:
        if _error(error) not in TAB_UNAVAILABLE:
            raise
    canvas_id = client.canvases_create(title=title, document_content=content)["canvas_id"]
    try:
        client.canvases_access_set(canvas_id=canvas_id, access_level="read", channel_ids=[workshop.channel_id])
    except SlackApiError:
        _delete_quietly(client, canvas_id)  # a canvas nobody in the channel can open is no use
        raise
    return Created(canvas_id, in_channel_tab=False, link=canvas_link(client, workshop, canvas_id))


def _delete_quietly(client: WebClient, canvas_id: str) -> None:
    try:
        client.canvases_delete(canvas_id=canvas_id)
    except SlackApiError as error:
        log.warning("could not delete the unshared canvas %s: %s", canvas_id, _error(error))


# -- keeping it current -----------------------------------------------------------------------

def refresh(client: WebClient, ctx: AppContext, workshop: Workshop) -> None:
    """Writes the canvas while it is behind the workshop and no other process is writing it."""
    while True:
        with ctx.unit() as session:
            revision = store.take_edit_turn(session, workshop_id=workshop.id, now=_now())
            row = store.canvas_of(session, workshop_id=workshop.id)
        if revision is None:
            return
        if not _write(client, ctx, workshop, row, revision):
            return


def _write(client: WebClient, ctx: AppContext, workshop: Workshop, row: WorkshopCanvas, revision: int) -> bool:
    """One `replace` of the whole canvas; True if it is now at ``revision``."""
    _, markdown = _render(client, ctx, workshop, row)
    try:
        client.canvases_edit(canvas_id=row.canvas_id,
                             changes=[{"operation": "replace", "document_content": _content(markdown)}])
    except (SlackApiError, OSError) as error:
        code = _error(error)
        log.warning("canvas %s of workshop %s not written: %s", row.canvas_id, workshop.id, code)
        with ctx.unit() as session:
            if code in GONE:  # `/journey canvas` makes a new one
                store.record_refusal(session, workshop_id=workshop.id, error=code)
            else:  # still stale: the next catch-up tries again
                store.end_edit_turn(session, workshop_id=workshop.id, written=None)
        return False
    with ctx.unit() as session:
        store.end_edit_turn(session, workshop_id=workshop.id, written=revision)
    return True


def catch_up(client: WebClient, ctx: AppContext, *, team_id: str, channel_id: str) -> None:
    """After a request is answered: makes the channel's wanted canvas, or writes the changes since the
    last write. Slack refusing the canvas is told to the workshop's lead once, privately. Without the
    database nothing happens: the canvas stays behind until the next catch-up."""
    try:
        _catch_up(client, ctx, team_id=team_id, channel_id=channel_id)
    except SQLAlchemyError:
        log.warning("the canvas of %s/%s did not catch up: the database is unavailable", team_id, channel_id)


def _catch_up(client: WebClient, ctx: AppContext, *, team_id: str, channel_id: str) -> None:
    with ctx.unit() as session:
        workshop = repo.latest_workshop(session, team_id=team_id, channel_id=channel_id)
        row = workshop and store.canvas_of(session, workshop_id=workshop.id)
    if row is None:
        return
    if row.canvas_id is not None:
        refresh(client, ctx, workshop)
        return
    outcome = create(client, ctx, workshop) if row.refusal is None else None
    if isinstance(outcome, Refused):
        pack = ctx.pack(workshop.lang)
        try:
            client.chat_postEphemeral(channel=channel_id, user=workshop.lead_id,
                                      text=refusal_sentence(pack, outcome.error))
        except SlackApiError as error:
            log.warning("could not tell the lead there is no canvas: %s", _error(error))


# -- `/journey canvas` ------------------------------------------------------------------------------

def make_or_update(client: WebClient, ctx: AppContext, lead: LeadView) -> Message:
    """Makes the canvas (again, after a refusal or its deletion in Slack), or brings it up to date."""
    workshop, pack = lead.workshop, lead.pack
    with ctx.unit() as session:
        row = store.want_canvas(session, workshop_id=workshop.id)
        if row.canvas_id is not None:
            store.mark_stale(session, workshop_id=workshop.id)  # written after this answer
            return text_message(pack.text("canvas.updating"))
    outcome = create(client, ctx, workshop)
    if outcome is None:
        return text_message(pack.text("canvas.in_progress"))
    if isinstance(outcome, Refused):
        return text_message(refusal_sentence(pack, outcome.error))
    if outcome.in_channel_tab:
        return text_message(pack.text("canvas.created_in_tab"))
    return text_message(pack.text("canvas.created_standalone", link=outcome.link))


# -- deleting ---------------------------------------------------------------------------------------

def delete(client: WebClient, canvas: WorkshopCanvas | None) -> str | None:
    """Deletes a deleted workshop's canvas in Slack; Slack's error code if it could not."""
    if canvas is None or canvas.canvas_id is None:
        return None
    try:
        client.canvases_delete(canvas_id=canvas.canvas_id)
    except SlackApiError as error:
        return _error(error)
    return None
