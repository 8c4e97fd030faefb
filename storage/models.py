"""The tables. Alembic owns the schema: change a table here, then add a migration."""
from __future__ import annotations

from datetime import datetime, timezone
from enum import StrEnum

from sqlalchemy import JSON, Column, Enum, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from flows.vocabulary import AnswerSource, Evidence, JourneyKind, Lane, ThemeAction, WorkshopStatus


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def closed_set(values: type[StrEnum], *, constraint: str, length: int) -> Enum:
    """A column that holds one of ``values``: VARCHAR(length) with a CHECK constraint (migration 0004_closed_sets
    adds them), read back as the enum's members."""
    return Enum(values, native_enum=False, create_constraint=True, length=length, validate_strings=True,
                values_callable=lambda members: [member.value for member in members], name=constraint)


class Workshop(SQLModel, table=True):
    __table_args__ = (
        # One active workshop per channel, even with several processes racing to start one.
        Index("uq_workshop_active_channel", "team_id", "channel_id", unique=True,
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    channel_id: str = Field(max_length=32)
    title: str = Field(max_length=200)
    kind: JourneyKind = Field(sa_type=closed_set(JourneyKind, constraint="ck_workshop_kind", length=16))
    template: str = Field(max_length=32)
    lang: str = Field(default="en", max_length=8)
    lead_id: str = Field(max_length=32)  # who started it
    status: WorkshopStatus = Field(default=WorkshopStatus.ACTIVE,
                                  sa_type=closed_set(WorkshopStatus, constraint="ck_workshop_status", length=16))
    current_step: str = Field(max_length=64)
    phases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    anonymous: bool = False
    dot_votes: int = 3
    kickoff_ts: str | None = Field(default=None, max_length=32)
    vote_board_ts: str | None = Field(default=None, max_length=32)  # the "How might we" vote message
    created_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None


class WorkshopLead(SQLModel, table=True):
    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True, ondelete="CASCADE")
    user_id: str = Field(primary_key=True, max_length=32)


class StepPost(SQLModel, table=True):
    """A step's prompt message; thread replies find their step through its ts."""

    __table_args__ = (
        UniqueConstraint("workshop_id", "step_key"),
        UniqueConstraint("channel_id", "ts"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    step_key: str = Field(max_length=64)
    channel_id: str = Field(max_length=32)
    ts: str = Field(max_length=32)
    opened_at: datetime = Field(default_factory=utcnow)
    due_at: datetime | None = None
    reminder_id: str | None = Field(default=None, max_length=64)


class Item(SQLModel, table=True):
    """One answer: a sticky note on the journey map."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    step_key: str = Field(max_length=64)
    phase: str | None = Field(default=None, max_length=80)
    # None while the bot asks its author where it belongs
    lane: Lane | None = Field(default=None, sa_type=closed_set(Lane, constraint="ck_item_lane", length=32))
    text: str
    feeling: int | None = None  # +1 positive, 0 neutral, -1 negative
    why: str | None = None
    evidence: Evidence = Field(default=Evidence.ASSUMPTION,
                               sa_type=closed_set(Evidence, constraint="ck_item_evidence", length=16))
    author_id: str = Field(max_length=32)
    source: AnswerSource = Field(sa_type=closed_set(AnswerSource, constraint="ck_item_source", length=16))
    # What makes a delivery of the same answer the same: the message ts for thread
    # replies, the view id for modals. Slack's retries therefore store nothing twice.
    dedupe_key: str = Field(unique=True, max_length=128)
    message_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Vote(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("item_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE")
    user_id: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow)


class ThemeEdit(SQLModel, table=True):
    """A lead's correction of the themes, replayed in order over the automatic grouping.

    Edits name notes, not themes, so they keep their meaning when new notes change the grouping:
    merge (the themes of item and target become one), move (item joins target's theme, or a theme
    of its own when target is None), rename (the theme of item is called label). Migration 0005_themes."""

    __tablename__ = "theme_edit"
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    action: ThemeAction = Field(sa_type=closed_set(ThemeAction, constraint="ck_theme_edit_action", length=16))
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE")
    target_item_id: int | None = Field(default=None, foreign_key="item.id", ondelete="CASCADE")
    label: str | None = Field(default=None, max_length=120)
    user_id: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow)


class CaptionPick(SQLModel, table=True):
    """A lead's pick of the answer that captions a storyboard panel; without one the most voted answer does.

    One per panel (the storyboard step's key). Deleting the answer or the workshop deletes the pick, so the
    caption falls back to the most voted. Migration 0008_captions."""

    __tablename__ = "caption_pick"
    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True, ondelete="CASCADE")
    step_key: str = Field(primary_key=True, max_length=64)
    item_id: int = Field(foreign_key="item.id", index=True, ondelete="CASCADE")
    user_id: str = Field(max_length=32)  # the lead who picked it
    picked_at: datetime = Field(default_factory=utcnow)


class FileRef(SQLModel, table=True):
    """A file the bot uploaded for a workshop, so deleting the workshop can list it."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    file_id: str = Field(max_length=32)
    kind: str = Field(max_length=16)
    created_at: datetime = Field(default_factory=utcnow)


class Person(SQLModel, table=True):
    """Display names, fetched once per person so summaries need no calls per author."""

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=120)
    tz: str | None = Field(default=None, max_length=64)
    is_bot: bool = False  # bots are never nudged to answer
    updated_at: datetime = Field(default_factory=utcnow)


# -- the research round (issue 15) ------------------------------------------------------------

class ResearchRound(SQLModel, table=True):
    """A workshop whose assumptions are being checked; its boards are ResearchPost messages."""

    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True, ondelete="CASCADE")
    opened_by: str = Field(max_length=32)
    opened_at: datetime = Field(default_factory=utcnow)


class ResearchPost(SQLModel, table=True):
    """One board message: a page of one phase's assumption notes in one lane."""

    __table_args__ = (
        UniqueConstraint("workshop_id", "phase_number", "lane", "page"),
        UniqueConstraint("channel_id", "ts"),
    )
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    phase_number: int
    lane: str = Field(max_length=32)
    page: int
    channel_id: str = Field(max_length=32)
    ts: str = Field(max_length=32)


class ResearchEvidence(SQLModel, table=True):
    """What someone found about a note: on an assumption, or the detail of a new finding."""

    __tablename__ = "evidence"
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="item.id", index=True, ondelete="CASCADE")
    author_id: str = Field(max_length=32)
    verdict: str = Field(max_length=16)  # confirmed | refuted | unclear | found (the detail of a finding)
    text: str
    source: str = Field(max_length=16)  # interview | observation | diary | survey | analytics | support
    people: int | None = None  # how many people it covers
    link: str | None = Field(default=None, max_length=2000)
    dedupe_key: str = Field(unique=True, max_length=128)  # the modal's view id: a second submission stores nothing
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Verdict(SQLModel, table=True):
    """One person's verdict on an assumption; a lead's settling of a dispute is a verdict with settled."""

    __table_args__ = (UniqueConstraint("item_id", "user_id", "settled"),)
    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="item.id", index=True, ondelete="CASCADE")
    user_id: str = Field(max_length=32)
    verdict: str = Field(max_length=16)  # confirmed | refuted | unclear
    settled: bool = False
    evidence_id: int | None = Field(default=None, foreign_key="evidence.id", ondelete="SET NULL")
    updated_at: datetime = Field(default_factory=utcnow)


class Volunteer(SQLModel, table=True):
    """Someone who said "I'll check this" about an assumption."""

    item_id: int = Field(foreign_key="item.id", primary_key=True, ondelete="CASCADE")
    user_id: str = Field(primary_key=True, max_length=32)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)


class ResearchChange(SQLModel, table=True):
    """The history of evidence and verdicts: who changed what, when (rows outlive what they describe)."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    item_id: int | None = None  # no foreign key: the history stays when a note is deleted
    actor_id: str = Field(max_length=32)
    action: str = Field(max_length=32)  # evidence_added | evidence_edited | evidence_removed | verdict | settled | volunteered
    before: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    at: datetime = Field(default_factory=utcnow)


class WorkshopCanvas(SQLModel, table=True):
    """A workshop's canvas in Slack. The row is also the claim that lets one process create it:
    its key allows one per workshop, and ``creating_since`` marks the process at work."""

    workshop_id: int = Field(foreign_key="workshop.id", primary_key=True, ondelete="CASCADE")
    canvas_id: str | None = Field(default=None, max_length=32)
    in_channel_tab: bool = False  # the channel's own canvas; else a standalone one shared with the channel
    # Why there is no canvas: Slack's refusal to make one, or canvas_not_found once it was deleted in Slack
    refusal: str | None = Field(default=None, max_length=64)
    creating_since: datetime | None = None
    # Edits are coalesced: a change bumps `wanted`; one process at a time (`editing_until`) writes
    # the canvas and records the `wanted` it showed as `written`.
    wanted: int = 0
    written: int = 0
    editing_until: datetime | None = None
    map_link: str | None = Field(default=None, max_length=500)  # the journey map picture last posted
