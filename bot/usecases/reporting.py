"""The summary and the status: gathering a workshop's items and the names of who wrote them."""
from __future__ import annotations

from slack_sdk import WebClient

from bot.usecases import exports
from bot.usecases.people import known_people
from bot.wiring.context import AppContext
from bot.usecases.workshops import refuse
from flows.engine import plan_of
from flows.prompts import step_title
from flows.summary import ResearchRecords, SummaryView, build_summary
from flows.texts import Pack
from flows.vocabulary import WorkshopStatus
from renderers import pictures
from renderers.mrkdwn import escape
from renderers.slack import Message, summary_message, text_message
from storage import canvases as canvas_store
from storage import repository as repo
from storage.models import Workshop


def display_names(client: WebClient, ctx: AppContext, *, team_id: str, user_ids: set[str]) -> dict[str, str]:
    """Names for Slack user IDs, asked of Slack once and remembered."""
    people = known_people(client, ctx, team_id=team_id, user_ids=user_ids)
    return {user_id: person.name for user_id, person in people.items()}


def workshop_summary(client: WebClient, ctx: AppContext, workshop: Workshop) -> SummaryView:
    with ctx.unit() as session:
        items = repo.items_of(session, workshop_id=workshop.id)
        votes = repo.vote_counts(session, workshop_id=workshop.id)
        edits = repo.theme_edits(session, workshop_id=workshop.id)
        captions = repo.caption_picks(session, workshop_id=workshop.id)
        research = _research_records(session, workshop_id=workshop.id)
    authors = {item.author_id for item in items} | {evidence.author_id for evidence in
                                                    (research.evidence if research else ())}
    names = {} if workshop.anonymous else display_names(client, ctx, team_id=workshop.team_id, user_ids=authors)
    return build_summary(workshop, items, names=names, votes=votes, theme_edits=edits, captions=captions,
                         pack=ctx.pack(workshop.lang), catalog=ctx.catalog, research=research)


def _research_records(session, *, workshop_id: int) -> ResearchRecords | None:
    """The round's evidence and verdicts for the summary; None without a round."""
    if repo.research_round(session, workshop_id=workshop_id) is None:
        return None
    return ResearchRecords(evidence=repo.evidence_in(session, workshop_id=workshop_id),
                           verdicts=repo.verdicts_in(session, workshop_id=workshop_id))


def channel_workshop(ctx: AppContext, *, team_id: str, channel_id: str, active_only: bool) -> Workshop:
    """The channel's workshop (the active one, or with ``active_only`` False the latest), or a polite refusal."""
    with ctx.unit() as session:
        workshop = (repo.active_workshop if active_only else repo.latest_workshop)(
            session, team_id=team_id, channel_id=channel_id)
    if workshop is None:
        raise refuse(ctx.pack(), "messages.no_workshop" if active_only else "messages.no_workshop_ever")
    return workshop


def _answered_line(client: WebClient, ctx: AppContext, pack: Pack, workshop: Workshop, authors: set[str]) -> str:
    """Who answered the open step; only how many in an anonymous workshop."""
    if not authors:
        return pack.text("messages.status_nobody")
    if workshop.anonymous:
        return pack.plural("anonymity.status_answered", len(authors))
    names = display_names(client, ctx, team_id=workshop.team_id, user_ids=authors)
    return pack.text("messages.status_answered", names=", ".join(escape(names.get(a, a)) for a in sorted(authors)))


def status(client: WebClient, ctx: AppContext, *, team_id: str, channel_id: str) -> Message:
    workshop = channel_workshop(ctx, team_id=team_id, channel_id=channel_id, active_only=False)
    pack = ctx.pack(workshop.lang)
    with ctx.unit() as session:
        counts = repo.item_counts_by_step(session, workshop_id=workshop.id)
        total, people = repo.answer_counts(session, workshop_id=workshop.id)
        authors = set(repo.authors_of_step(session, workshop_id=workshop.id, step_key=workshop.current_step))
    if workshop.status != WorkshopStatus.ACTIVE:
        return text_message(pack.text("messages.status_closed", title=escape(workshop.title),
                                               answers=pack.count("answers", total), people=pack.count("people", people)))
    plan = plan_of(workshop, ctx.catalog)
    current = plan.get(workshop.current_step)
    phase_count = len(workshop.phases)
    answered = _answered_line(client, ctx, pack, workshop, authors)
    lines = [pack.text("messages.status_step_line", marker="▶" if ref.key == current.key else "·", number=ref.number,
                       step=escape(step_title(pack, ref, phase_count)), items=counts.get(ref.key, 0))
             for ref in plan.refs]
    return text_message(pack.text("messages.status", title=escape(workshop.title),
                                  kind_name=pack.text(f"kinds.{workshop.kind}.name"), number=current.number,
                                  count=len(plan), step=escape(step_title(pack, current, phase_count)),
                                  answered_line=answered, per_step="\n".join(lines)))


def publish_summary(client: WebClient, ctx: AppContext, workshop: Workshop) -> None:
    """Posts the summary in the channel with the journey map picture (unless the template has no journey:
    a storyboard-only one) and the storyboard when it has answers; a summary cut to fit Slack's limits gets
    the whole of it as a file in its thread."""
    view = workshop_summary(client, ctx, workshop)
    message = summary_message(view)
    ts = client.chat_postMessage(channel=workshop.channel_id, text=message.text, blocks=message.blocks)["ts"]
    if view.understand:
        _post_journey_map(client, ctx, workshop, view)
    if any(panel.items for panel in view.storyboard):
        exports.upload(client, ctx, workshop, view, "storyboard")
    if message.truncated:
        exports.upload(client, ctx, workshop, view, "md", thread_ts=ts,
                       comment=view.labels["summary.full_export"])


def _post_journey_map(client: WebClient, ctx: AppContext, workshop: Workshop, view: SummaryView) -> None:
    """A map too large for Slack's preview shows themes, and the full map follows as a second picture."""
    journey_map = exports.drawn(lambda: pictures.journey_map(view, font_path=ctx.settings.font_path))
    uploaded = exports.upload_content(client, ctx, workshop, journey_map.inline, kind="journey-map", extension="png",
                                      record_as="png", comment=_map_comment(view, journey_map))
    if uploaded.get("permalink"):
        with ctx.unit() as session:  # the canvas links to the latest picture
            canvas_store.record_map_link(session, workshop_id=workshop.id, link=uploaded["permalink"])
    if journey_map.full is not None:
        exports.upload_content(client, ctx, workshop, journey_map.full, kind="journey-map-full", extension="png",
                               record_as="png")


def _map_comment(view: SummaryView, journey_map: pictures.JourneyMap) -> str | None:
    """What the message says about the pictures: themes with the full map beside, shortened notes."""
    notes = []
    if journey_map.grouped:
        notes.append(view.labels["pictures.full_map"])
    if journey_map.shortened:
        notes.append(view.labels["pictures.shortened"].format(limit=pictures.MAX_NOTE_CHARS))
    return " ".join(notes) or None
