"""Reading and writing workshops. Every function takes the caller's session and keyword arguments;
none commits: the caller's unit of work does."""
from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import Row, bindparam, delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, select

from flows.vocabulary import AnswerSource, Evidence, JourneyKind, Lane, WorkshopStatus
from storage.models import (
    CaptionPick,
    FileRef,
    Item,
    Person,
    ResearchChange,
    ResearchEvidence,
    ResearchPost,
    ResearchRound,
    StepPost,
    ThemeEdit,
    Verdict,
    Volunteer,
    Vote,
    Workshop,
    WorkshopCanvas,
    WorkshopLead,
    utcnow,
)


@cache
def _insert_once(dialect: str):
    """An answer's INSERT for SQLite or PostgreSQL, built once (so SQLAlchemy compiles it once): a second
    delivery of the same answer inserts nothing and returns no id."""
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert
    return insert(Item.__table__).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(Item.__table__.c.id)


class AlreadyActive(Exception):
    """The channel already has an active workshop."""

    def __init__(self, workshop: Workshop):
        super().__init__(workshop.title)
        self.workshop = workshop


# -- workshops ---------------------------------------------------------------

def create_workshop(
    session: Session, *, team_id: str, channel_id: str, title: str, kind: JourneyKind, template: str, lang: str,
    lead_id: str, phases: Sequence[str], first_step: str, anonymous: bool = False, dot_votes: int = 3,
) -> Workshop:
    """A new active workshop with its lead; raises AlreadyActive if the channel has one."""
    running = active_workshop(session, team_id=team_id, channel_id=channel_id)
    if running:
        raise AlreadyActive(running)
    workshop = Workshop(team_id=team_id, channel_id=channel_id, title=title, kind=kind, template=template,
                        lang=lang, lead_id=lead_id, phases=list(phases), current_step=first_step,
                        anonymous=anonymous, dot_votes=dot_votes)
    try:
        with session.begin_nested():
            session.add(workshop)
            session.flush()
    except IntegrityError:  # another process started one at the same moment
        raise AlreadyActive(active_workshop(session, team_id=team_id, channel_id=channel_id)) from None
    session.add(WorkshopLead(workshop_id=workshop.id, user_id=lead_id))
    return workshop


def workshop_with_kickoff(session: Session, *, team_id: str, channel_id: str, ts: str) -> Workshop | None:
    """The workshop whose first message (the kickoff) is the message at ``ts`` in this workspace's channel."""
    return session.exec(select(Workshop).where(Workshop.team_id == team_id, Workshop.channel_id == channel_id,
                                               Workshop.kickoff_ts == ts)).first()


def active_workshop(session: Session, *, team_id: str, channel_id: str) -> Workshop | None:
    return session.exec(select(Workshop).where(
        Workshop.team_id == team_id, Workshop.channel_id == channel_id,
        Workshop.status == WorkshopStatus.ACTIVE)).first()


def latest_workshop(session: Session, *, team_id: str, channel_id: str) -> Workshop | None:
    """The active workshop, or else the one closed last."""
    return session.exec(select(Workshop).where(Workshop.team_id == team_id, Workshop.channel_id == channel_id)
                        .order_by((Workshop.status == WorkshopStatus.ACTIVE).desc(), Workshop.id.desc())).first()


def workshop_in_team(session: Session, *, workshop_id: int, team_id: str) -> Workshop | None:
    """A workshop by id, but only within the asking workspace."""
    workshop = session.get(Workshop, workshop_id)
    return workshop if workshop and workshop.team_id == team_id else None


def workshop_by_id(session: Session, *, workshop_id: int) -> Workshop | None:
    return session.get(Workshop, workshop_id)


def workshops_for_team(session: Session, *, team_id: str) -> list[Workshop]:
    return list(session.exec(select(Workshop).where(Workshop.team_id == team_id).order_by(Workshop.id.desc())))


def set_kickoff(session: Session, *, workshop_id: int, ts: str) -> None:
    """Remembers the kickoff message of a workshop."""
    session.exec(update(Workshop).where(Workshop.id == workshop_id).values(kickoff_ts=ts))


def set_phases(session: Session, *, workshop_id: int, phases: Sequence[str]) -> None:
    session.exec(update(Workshop).where(Workshop.id == workshop_id).values(phases=list(phases)))


def phases_for_update(session: Session, *, workshop_id: int) -> list[str]:
    """The workshop's phases, its row locked until the caller's transaction ends: two leads settling the phases
    at once move the answers one after the other (SQLite, which has no row locks, serialises writers anyway)."""
    return list(session.exec(select(Workshop.phases).where(Workshop.id == workshop_id).with_for_update()).one())


def phase_placed_items(session: Session, *, workshop_id: int) -> list[Row]:
    """The answers that sit in a phase or may name one (the journey notes and the insights), with their id,
    step_key, lane, phase and text, oldest first."""
    return list(session.exec(select(Item.id, Item.step_key, Item.lane, Item.phase, Item.text).where(
        Item.workshop_id == workshop_id, Item.phase.is_not(None) | (Item.lane == Lane.INSIGHT),
    ).order_by(Item.created_at, Item.id)))


def set_item_phases(session: Session, *, phases: Mapping[int, str]) -> None:
    """Stores another phase name for answers (item id -> name): their phase was renamed or moved."""
    if phases:
        table = Item.__table__
        session.connection().execute(
            update(table).where(table.c.id == bindparam("item_id")).values(phase=bindparam("new_phase")),
            [{"item_id": item_id, "new_phase": phase} for item_id, phase in phases.items()])


def move_current_step(session: Session, *, workshop_id: int, expected: str, new: str) -> bool:
    """Makes ``new`` the open step of an active workshop whose open step is still ``expected``;
    False (nothing changed) when the workshop was closed or moved meanwhile."""
    moved = session.exec(update(Workshop).where(
        Workshop.id == workshop_id, Workshop.status == WorkshopStatus.ACTIVE, Workshop.current_step == expected,
    ).values(current_step=new))
    return moved.rowcount == 1


def record_vote_board(session: Session, *, workshop_id: int, ts: str) -> str | None:
    """Makes the message at ``ts`` the workshop's vote; returns the ts of the vote it replaces, if any."""
    workshop = session.get(Workshop, workshop_id)
    old_ts, workshop.vote_board_ts = workshop.vote_board_ts, ts
    session.add(workshop)
    return old_ts


def close_workshop(session: Session, *, workshop: Workshop) -> None:
    workshop.status = WorkshopStatus.CLOSED
    workshop.closed_at = utcnow()
    session.add(workshop)


def delete_workshop(session: Session, *, workshop_id: int) -> None:
    """Removes the workshop and everything that belongs to it."""
    for table in (*RESEARCH_TABLES, CaptionPick, ThemeEdit, Vote, Item, StepPost, FileRef, WorkshopCanvas, WorkshopLead):
        session.exec(delete(table).where(table.workshop_id == workshop_id))
    session.exec(delete(Workshop).where(Workshop.id == workshop_id))


def delete_team(session: Session, *, team_id: str) -> int:
    """Removes every workshop of a workspace (the app was uninstalled); returns how many."""
    ids = [w.id for w in workshops_for_team(session, team_id=team_id)]
    for workshop_id in ids:
        delete_workshop(session, workshop_id=workshop_id)
    session.exec(delete(Person).where(Person.team_id == team_id))
    return len(ids)


# -- leads --------------------------------------------------------------------

def lead_ids(session: Session, *, workshop_id: int) -> list[str]:
    return list(session.exec(select(WorkshopLead.user_id).where(WorkshopLead.workshop_id == workshop_id)))


def workshops_led_by(session: Session, *, user_id: str, workshop_ids: Sequence[int]) -> set[int]:
    """Which of these workshops ``user_id`` leads."""
    return set(session.exec(select(WorkshopLead.workshop_id).where(
        WorkshopLead.user_id == user_id, WorkshopLead.workshop_id.in_(list(workshop_ids)))))


def add_lead(session: Session, *, workshop_id: int, user_id: str) -> None:
    if user_id not in lead_ids(session, workshop_id=workshop_id):
        session.add(WorkshopLead(workshop_id=workshop_id, user_id=user_id))


# -- steps --------------------------------------------------------------------

def record_step_post(session: Session, *, workshop_id: int, step_key: str, channel_id: str, ts: str,
                     due_at: datetime | None = None) -> StepPost:
    post = step_post(session, workshop_id=workshop_id, step_key=step_key)
    if post is None:
        post = StepPost(workshop_id=workshop_id, step_key=step_key, channel_id=channel_id, ts=ts)
    else:
        post.ts, post.channel_id = ts, channel_id
    post.due_at = due_at
    session.add(post)
    session.flush()
    return post


def step_post(session: Session, *, workshop_id: int, step_key: str) -> StepPost | None:
    return session.exec(select(StepPost).where(StepPost.workshop_id == workshop_id,
                                               StepPost.step_key == step_key)).first()


def step_posts_of(session: Session, *, workshop_id: int) -> list[StepPost]:
    """Every step prompt of a workshop, in the order they were posted."""
    return list(session.exec(select(StepPost).where(StepPost.workshop_id == workshop_id).order_by(StepPost.id)))


def set_deadline(session: Session, *, workshop_id: int, step_key: str, due_at: datetime | None) -> None:
    """Sets or (with None) removes a step's deadline; its reminder is left as it is."""
    session.exec(update(StepPost).where(StepPost.workshop_id == workshop_id, StepPost.step_key == step_key)
                 .values(due_at=due_at))


def set_reminder(session: Session, *, workshop_id: int, step_key: str, reminder_id: str | None) -> None:
    """Remembers the id of a step's scheduled reminder message (None: it has none)."""
    session.exec(update(StepPost).where(StepPost.workshop_id == workshop_id, StepPost.step_key == step_key)
                 .values(reminder_id=reminder_id))


# Built once: every thread reply asks it, and building the statement cost more than running it. Its rows are
# read through Core, with only the columns an answer needs: loading a Workshop and a StepPost as ORM objects
# cost more than storing the answer.
_PROMPT_AT = select(Workshop.id, Workshop.status, Workshop.current_step, Workshop.lang, Workshop.kind,
                    Workshop.template, Workshop.phases, StepPost.step_key).join(
    StepPost, StepPost.workshop_id == Workshop.id).where(
    Workshop.team_id == bindparam("team_id"), StepPost.channel_id == bindparam("channel_id"),
    StepPost.ts == bindparam("ts"))


def prompt_at(session: Session, *, team_id: str, channel_id: str, ts: str) -> Row | None:
    """The workshop step whose prompt is the message at ``ts`` in this workspace's channel: a read-only row
    with the workshop's id, status, current_step, lang, kind, template and phases, and the step's ``step_key``."""
    return session.connection().execute(_PROMPT_AT, {"team_id": team_id, "channel_id": channel_id, "ts": ts}).first()


# -- items --------------------------------------------------------------------

def item_values(
    *, workshop_id: int, step_key: str, phase: str | None, lane: Lane | None, text: str, author_id: str,
    source: AnswerSource, dedupe_key: str, feeling: int | None = None, why: str | None = None,
    evidence: Evidence = Evidence.ASSUMPTION, message_ts: str | None = None,
) -> dict:
    """An answer's columns, for insert_item_once or add_item."""
    now = utcnow()
    return {"workshop_id": workshop_id, "step_key": step_key, "phase": phase, "lane": lane, "text": text,
            "feeling": feeling, "why": why, "evidence": evidence, "author_id": author_id, "source": source,
            "dedupe_key": dedupe_key, "message_ts": message_ts, "created_at": now, "updated_at": now}


def insert_item_once(session: Session, values: dict) -> int | None:
    """Stores an answer (``item_values``) once: its new id, or None when one with the same dedupe_key was
    stored before. One statement whatever happens: the unique key decides (a retry, or a race with another
    process), so there is no savepoint to take and no earlier delivery to look for first."""
    connection = session.connection()
    return connection.execute(_insert_once(connection.dialect.name), values).scalar()


def add_item(session: Session, **fields) -> tuple[Item, bool]:
    """Stores an answer once (``item_values`` takes the fields): the answer, and whether this call stored it;
    a second delivery with the same dedupe_key returns the first, and False."""
    values = item_values(**fields)
    item_id = insert_item_once(session, values)
    if item_id is None:  # delivered before
        return item_by_dedupe_key(session, dedupe_key=values["dedupe_key"]), False
    item = Item(id=item_id, **values)
    make_transient_to_detached(item)
    session.add(item)  # persistent from here, without another statement
    return item, True


def item_by_id(session: Session, *, item_id: int) -> Item | None:
    return session.get(Item, item_id)


def item_by_dedupe_key(session: Session, *, dedupe_key: str) -> Item | None:
    return session.exec(select(Item).where(Item.dedupe_key == dedupe_key)).first()


def item_in_team(session: Session, *, item_id: int, team_id: str) -> tuple[Item, Workshop] | None:
    """An item and its workshop, but only within the asking workspace."""
    row = session.exec(select(Item, Workshop).join(Workshop, Workshop.id == Item.workshop_id).where(
        Item.id == item_id, Workshop.team_id == team_id)).first()
    return (row[0], row[1]) if row else None


def unsorted_items(session: Session, *, workshop_ids: Sequence[int]) -> list[Item]:
    """The answers in these workshops that wait for a lane, oldest first."""
    return list(session.exec(select(Item).where(Item.workshop_id.in_(list(workshop_ids)), Item.lane.is_(None))
                             .order_by(Item.created_at, Item.id)))


def update_item(session: Session, *, item: Item, **changes) -> Item:
    for name, value in changes.items():
        setattr(item, name, value)
    item.updated_at = utcnow()
    session.add(item)
    return item


def delete_item(session: Session, *, item: Item) -> None:
    """Removes an answer with its votes and the research on it (the history of that research stays)."""
    for evidence in session.exec(select(ResearchEvidence).where(ResearchEvidence.item_id == item.id)):
        record_change(session, workshop_id=item.workshop_id, item_id=item.id, actor_id=item.author_id,
                      action="evidence_removed", before=_evidence_fields(evidence))
    for table in (Verdict, Volunteer, ResearchEvidence, Vote, CaptionPick):  # a panel's caption falls back
        session.exec(delete(table).where(table.item_id == item.id))
    session.exec(delete(ThemeEdit).where((ThemeEdit.item_id == item.id) | (ThemeEdit.target_item_id == item.id)))
    session.delete(item)


def items_of(session: Session, *, workshop_id: int) -> list[Row]:
    """The workshop's items as read-only rows with Item's columns as attributes, oldest first.

    Rows, not Item objects: a summary reads thousands of items and ORM objects cost twice as much to load.
    """
    return list(session.exec(select(*Item.__table__.columns).where(Item.workshop_id == workshop_id)
                             .order_by(Item.created_at, Item.id)))


def item_counts_by_step(session: Session, *, workshop_id: int) -> dict[str, int]:
    rows = session.exec(select(Item.step_key, func.count()).where(Item.workshop_id == workshop_id)
                        .group_by(Item.step_key))
    return dict(rows.all())


def answer_counts(session: Session, *, workshop_id: int, step_key: str | None = None) -> tuple[int, int]:
    """How many answers (sorted or not yet), from how many people, in a workshop or one of its steps."""
    query = select(func.count(), func.count(Item.author_id.distinct())).where(Item.workshop_id == workshop_id)
    if step_key is not None:
        query = query.where(Item.step_key == step_key)
    items, people = session.exec(query).one()
    return items, people


def authors_of_step(session: Session, *, workshop_id: int, step_key: str) -> list[str]:
    rows = session.exec(select(Item.author_id).where(Item.workshop_id == workshop_id, Item.step_key == step_key)
                        .distinct())
    return sorted(rows.all())


# -- votes --------------------------------------------------------------------

def vote_counts(session: Session, *, workshop_id: int) -> dict[int, int]:
    rows = session.exec(select(Vote.item_id, func.count()).where(Vote.workshop_id == workshop_id).group_by(Vote.item_id))
    return dict(rows.all())


def votes_of(session: Session, *, workshop_id: int, user_id: str) -> set[int]:
    """The items one person voted for in a workshop."""
    return set(session.exec(select(Vote.item_id).where(Vote.workshop_id == workshop_id, Vote.user_id == user_id)))


def add_vote(session: Session, *, workshop_id: int, item_id: int, user_id: str) -> bool:
    """One vote per person per item; False if it was already there (a double click racing us)."""
    try:
        with session.begin_nested():
            session.add(Vote(workshop_id=workshop_id, item_id=item_id, user_id=user_id))
            session.flush()
    except IntegrityError:
        return False
    return True


def remove_vote(session: Session, *, item_id: int, user_id: str) -> None:
    session.exec(delete(Vote).where(Vote.item_id == item_id, Vote.user_id == user_id))


def items_in_lane(session: Session, *, workshop_id: int, lane: Lane) -> list[Item]:
    return list(session.exec(select(Item).where(Item.workshop_id == workshop_id, Item.lane == lane)
                             .order_by(Item.created_at, Item.id)))


# -- theme corrections ------------------------------------------------------------

def add_theme_edit(session: Session, *, workshop_id: int, action: str, item_id: int, user_id: str,
                   target_item_id: int | None = None, label: str | None = None) -> None:
    session.add(ThemeEdit(workshop_id=workshop_id, action=action, item_id=item_id, user_id=user_id,
                          target_item_id=target_item_id, label=label))


def theme_edits(session: Session, *, workshop_id: int) -> list[Row]:
    """A workshop's theme corrections in the order they were made, as read-only rows."""
    return list(session.exec(select(*ThemeEdit.__table__.columns).where(ThemeEdit.workshop_id == workshop_id)
                             .order_by(ThemeEdit.id)))


# -- storyboard captions -----------------------------------------------------------

def workshops_with_lane(session: Session, *, workshop_ids: Sequence[int], lane: Lane) -> set[int]:
    """Which of these workshops have answers in ``lane`` (the storyboard's: Lane.PANEL)."""
    return set(session.exec(select(Item.workshop_id).where(Item.workshop_id.in_(list(workshop_ids)), Item.lane == lane)
                            .distinct()))


def caption_picks(session: Session, *, workshop_id: int) -> dict[str, int]:
    """The leads' caption picks: storyboard step key -> the picked answer's id."""
    rows = session.exec(select(CaptionPick.step_key, CaptionPick.item_id).where(CaptionPick.workshop_id == workshop_id))
    return dict(rows.all())


def pick_caption(session: Session, *, workshop_id: int, step_key: str, item_id: int | None, user_id: str) -> None:
    """Sets (or with ``item_id`` None clears) the caption pick of one panel; of two leads picking at once,
    the last one's pick stays."""
    panel = (CaptionPick.workshop_id == workshop_id) & (CaptionPick.step_key == step_key)
    if item_id is None:
        session.exec(delete(CaptionPick).where(panel))
        return
    changes = {"item_id": item_id, "user_id": user_id, "picked_at": utcnow()}
    if session.exec(update(CaptionPick).where(panel).values(**changes)).rowcount:
        return
    try:
        with session.begin_nested():
            session.add(CaptionPick(workshop_id=workshop_id, step_key=step_key, **changes))
            session.flush()
    except IntegrityError:  # another lead's first pick landed meanwhile
        session.exec(update(CaptionPick).where(panel).values(**changes))


# -- files and people -----------------------------------------------------------

def record_file(session: Session, *, workshop_id: int, file_id: str, kind: str) -> None:
    session.add(FileRef(workshop_id=workshop_id, file_id=file_id, kind=kind))


def people_of(session: Session, *, team_id: str, user_ids: Iterable[str]) -> dict[str, Person]:
    rows = session.exec(select(Person).where(Person.team_id == team_id, Person.user_id.in_(list(user_ids))))
    return {person.user_id: person for person in rows}


def remember_person(session: Session, *, team_id: str, user_id: str, name: str, tz: str | None = None,
                    is_bot: bool = False) -> Person:
    person = session.get(Person, (team_id, user_id)) or Person(team_id=team_id, user_id=user_id, name=name)
    person.name, person.tz, person.is_bot, person.updated_at = name, tz, is_bot, utcnow()
    session.add(person)
    return person


def answer_counts_of_person(session: Session, *, author_id: str, workshop_ids: Sequence[int]) -> dict[int, int]:
    """How many answers one person gave in each of these workshops (for their Home tab)."""
    rows = session.exec(select(Item.workshop_id, func.count()).where(
        Item.author_id == author_id, Item.workshop_id.in_(list(workshop_ids))).group_by(Item.workshop_id))
    return dict(rows.all())


# -- the research round -----------------------------------------------------------------------

# Deleted with their workshop, children before parents.
RESEARCH_TABLES = (ResearchChange, Verdict, Volunteer, ResearchEvidence, ResearchPost, ResearchRound)


def research_round(session: Session, *, workshop_id: int) -> ResearchRound | None:
    return session.get(ResearchRound, workshop_id)


def open_research_round(session: Session, *, workshop_id: int, opened_by: str) -> ResearchRound:
    """The workshop's round, opened now unless it was before."""
    existing = research_round(session, workshop_id=workshop_id)
    if existing:
        return existing
    opened = ResearchRound(workshop_id=workshop_id, opened_by=opened_by)
    session.add(opened)
    return opened


def research_posts(session: Session, *, workshop_id: int) -> list[ResearchPost]:
    return list(session.exec(select(ResearchPost).where(ResearchPost.workshop_id == workshop_id)
                             .order_by(ResearchPost.phase_number, ResearchPost.lane, ResearchPost.page)))


def research_post_at(session: Session, *, team_id: str, channel_id: str, ts: str) -> tuple[Workshop, ResearchPost] | None:
    """The board whose message is at ``ts`` in this workspace's channel."""
    row = session.exec(select(Workshop, ResearchPost).join(ResearchPost, ResearchPost.workshop_id == Workshop.id)
                       .where(Workshop.team_id == team_id, ResearchPost.channel_id == channel_id,
                              ResearchPost.ts == ts)).first()
    return (row[0], row[1]) if row else None


def record_research_post(session: Session, *, workshop_id: int, phase_number: int, lane: str, page: int,
                         channel_id: str, ts: str) -> ResearchPost:
    post = ResearchPost(workshop_id=workshop_id, phase_number=phase_number, lane=lane, page=page,
                        channel_id=channel_id, ts=ts)
    session.add(post)
    return post


def add_evidence(session: Session, *, workshop_id: int, item_id: int, author_id: str, verdict: str, text: str,
                 source: str, people: int | None, link: str | None,
                 dedupe_key: str) -> tuple[ResearchEvidence, bool]:
    """Stores evidence once: a second submission of the same modal returns the first (created False)."""
    evidence = ResearchEvidence(workshop_id=workshop_id, item_id=item_id, author_id=author_id, verdict=verdict,
                                text=text, source=source, people=people, link=link, dedupe_key=dedupe_key)
    try:
        with session.begin_nested():
            session.add(evidence)
            session.flush()
    except IntegrityError:
        return session.exec(select(ResearchEvidence).where(ResearchEvidence.dedupe_key == dedupe_key)).one(), False
    record_change(session, workshop_id=workshop_id, item_id=item_id, actor_id=author_id, action="evidence_added",
                  after=_evidence_fields(evidence))
    return evidence, True


def _evidence_fields(evidence: ResearchEvidence) -> dict:
    return {"id": evidence.id, "verdict": evidence.verdict, "text": evidence.text, "source": evidence.source,
            "people": evidence.people, "link": evidence.link}


def evidence_of_finding(session: Session, *, item_id: int) -> ResearchEvidence | None:
    """The detail (people, link) a finding was given in its modal."""
    return session.exec(select(ResearchEvidence).where(ResearchEvidence.item_id == item_id,
                                                       ResearchEvidence.verdict == "found")).first()


def update_evidence(session: Session, *, evidence: ResearchEvidence, actor_id: str, **changes) -> None:
    before = _evidence_fields(evidence)
    for name, value in changes.items():
        setattr(evidence, name, value)
    evidence.updated_at = utcnow()
    session.add(evidence)
    record_change(session, workshop_id=evidence.workshop_id, item_id=evidence.item_id, actor_id=actor_id,
                  action="evidence_edited", before=before, after=_evidence_fields(evidence))


def evidence_in(session: Session, *, workshop_id: int) -> list[ResearchEvidence]:
    return list(session.exec(select(ResearchEvidence).where(ResearchEvidence.workshop_id == workshop_id)
                             .order_by(ResearchEvidence.created_at, ResearchEvidence.id)))


def verdicts_in(session: Session, *, workshop_id: int) -> list[Verdict]:
    return list(session.exec(select(Verdict).where(Verdict.workshop_id == workshop_id)
                             .order_by(Verdict.updated_at, Verdict.id)))


def volunteers_in(session: Session, *, workshop_id: int) -> list[Volunteer]:
    return list(session.exec(select(Volunteer).where(Volunteer.workshop_id == workshop_id)
                             .order_by(Volunteer.created_at)))


def verdict_of(session: Session, *, item_id: int, user_id: str, settled: bool = False) -> Verdict | None:
    return session.exec(select(Verdict).where(Verdict.item_id == item_id, Verdict.user_id == user_id,
                                              Verdict.settled == settled)).first()


def set_verdict(session: Session, *, workshop_id: int, item_id: int, user_id: str, verdict: str,
                evidence_id: int | None = None, settled: bool = False) -> bool:
    """One verdict per person per note (a lead's settling is one more); False when nothing changed."""
    row = verdict_of(session, item_id=item_id, user_id=user_id, settled=settled)
    if row is not None and row.verdict == verdict and (evidence_id is None or row.evidence_id == evidence_id):
        return False
    before = {"verdict": row.verdict} if row else None
    row = row or Verdict(workshop_id=workshop_id, item_id=item_id, user_id=user_id, settled=settled, verdict=verdict)
    row.verdict, row.updated_at = verdict, utcnow()
    row.evidence_id = evidence_id if evidence_id is not None else row.evidence_id
    session.add(row)
    record_change(session, workshop_id=workshop_id, item_id=item_id, actor_id=user_id,
                  action="settled" if settled else "verdict", before=before,
                  after={"verdict": verdict, "evidence_id": row.evidence_id})
    return True


def add_volunteer(session: Session, *, workshop_id: int, item_id: int, user_id: str) -> bool:
    """False if this person already said they would check this note."""
    if session.get(Volunteer, (item_id, user_id)):
        return False
    try:
        with session.begin_nested():
            session.add(Volunteer(workshop_id=workshop_id, item_id=item_id, user_id=user_id))
            session.flush()
    except IntegrityError:  # a double click racing us
        return False
    record_change(session, workshop_id=workshop_id, item_id=item_id, actor_id=user_id, action="volunteered")
    return True


def record_change(session: Session, *, workshop_id: int, item_id: int | None, actor_id: str, action: str,
                  before: dict | None = None, after: dict | None = None) -> None:
    session.add(ResearchChange(workshop_id=workshop_id, item_id=item_id, actor_id=actor_id, action=action,
                               before=before, after=after))


def research_history(session: Session, *, workshop_id: int) -> list[ResearchChange]:
    return list(session.exec(select(ResearchChange).where(ResearchChange.workshop_id == workshop_id)
                             .order_by(ResearchChange.at, ResearchChange.id)))


def research_rounds_of(session: Session, *, workshop_ids: Sequence[int]) -> set[int]:
    """Which of these workshops have a research round."""
    return set(session.exec(select(ResearchRound.workshop_id).where(
        ResearchRound.workshop_id.in_(list(workshop_ids)))))


def verdicts_on(session: Session, *, item_id: int) -> list[Verdict]:
    return list(session.exec(select(Verdict).where(Verdict.item_id == item_id).order_by(Verdict.updated_at, Verdict.id)))


def sync_finding(session: Session, *, item: Item, actor_id: str) -> None:
    """A finding's message was edited: its detail row follows the answer's text and source."""
    evidence = evidence_of_finding(session, item_id=item.id)
    if evidence is None:
        return
    source = evidence.source if item.evidence == "assumption" else item.evidence  # a tag taken out keeps the source
    if (evidence.text, evidence.source) != (item.text, source):
        update_evidence(session, evidence=evidence, actor_id=actor_id, text=item.text, source=source)
