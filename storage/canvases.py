"""Reading and writing a workshop's canvas row (keyword-only, on the caller's session, no commits).

Several processes may serve one workspace, so every step that must happen once is a conditional
UPDATE whose row count says whether this process won: creating the canvas, and writing it.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import WorkshopCanvas

# A process that died while creating or writing a canvas leaves its claim; others may take it after this.
CLAIM_TIMEOUT = timedelta(minutes=2)


def canvas_of(session: Session, *, workshop_id: int) -> WorkshopCanvas | None:
    return session.get(WorkshopCanvas, workshop_id)


def want_canvas(session: Session, *, workshop_id: int) -> WorkshopCanvas:
    """The workshop's canvas row, made if missing; a refusal or a canvas deleted in Slack is forgotten,
    so the next creation tries again."""
    row = canvas_of(session, workshop_id=workshop_id)
    if row is None:
        try:
            with session.begin_nested():
                row = WorkshopCanvas(workshop_id=workshop_id)
                session.add(row)
                session.flush()
        except IntegrityError:  # another process made it a moment ago
            row = canvas_of(session, workshop_id=workshop_id)
    if row.refusal is not None:
        row.refusal = None
        session.add(row)
    return row


def _update(session: Session, workshop_id: int, *conditions, **values) -> bool:
    statement = (update(WorkshopCanvas).where(WorkshopCanvas.workshop_id == workshop_id, *conditions)
                 .values(**values).execution_options(synchronize_session=False))
    return session.exec(statement).rowcount == 1


def claim_creation(session: Session, *, workshop_id: int, now: datetime) -> bool:
    """True if this process may create the canvas now: none exists, Slack has not refused, and
    no other process is creating it."""
    return _update(session, workshop_id, WorkshopCanvas.canvas_id.is_(None), WorkshopCanvas.refusal.is_(None),
                   (WorkshopCanvas.creating_since.is_(None)) | (WorkshopCanvas.creating_since < now - CLAIM_TIMEOUT),
                   creating_since=now)


def record_created(session: Session, *, workshop_id: int, canvas_id: str, in_channel_tab: bool, written: int) -> None:
    """The canvas exists, showing the workshop as it was at revision ``written``."""
    _update(session, workshop_id, canvas_id=canvas_id, in_channel_tab=in_channel_tab, creating_since=None,
            refusal=None, written=written)


def record_refusal(session: Session, *, workshop_id: int, error: str) -> None:
    _update(session, workshop_id, canvas_id=None, creating_since=None, editing_until=None, refusal=error)


def mark_stale(session: Session, *, workshop_id: int) -> None:
    """The workshop changed in a way its canvas shows (no-op without a canvas row)."""
    _update(session, workshop_id, wanted=WorkshopCanvas.wanted + 1)


def record_map_link(session: Session, *, workshop_id: int, link: str) -> None:
    _update(session, workshop_id, map_link=link, wanted=WorkshopCanvas.wanted + 1)


def take_edit_turn(session: Session, *, workshop_id: int, now: datetime) -> int | None:
    """The `wanted` revision this process is now to write, or None: nothing to write, or another
    process is writing (and will write this change too, as it checks again when done)."""
    taken = _update(session, workshop_id, WorkshopCanvas.canvas_id.is_not(None),
                    WorkshopCanvas.wanted > WorkshopCanvas.written,
                    (WorkshopCanvas.editing_until.is_(None)) | (WorkshopCanvas.editing_until < now),
                    editing_until=now + CLAIM_TIMEOUT)
    if not taken:
        return None
    row = canvas_of(session, workshop_id=workshop_id)
    session.refresh(row)
    return row.wanted


def end_edit_turn(session: Session, *, workshop_id: int, written: int | None) -> None:
    """Gives the turn back; ``written`` is the revision the canvas now shows (None if the edit failed)."""
    values = {"editing_until": None}
    if written is not None:
        values["written"] = case((WorkshopCanvas.written < written, written), else_=WorkshopCanvas.written)
    _update(session, workshop_id, **values)
