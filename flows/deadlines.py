"""When a step's answers are due: reading a `due:` value, and choosing when to remind people."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flows.commands import CommandError

# Slack schedules messages at most 120 days ahead (chat.scheduleMessage answers time_too_far).
MAX_DAYS_AHEAD = 120
REMINDER_LEAD = timedelta(days=1)
END_OF_DAY = time(23, 59)
_RELATIVE = re.compile(r"^(\d{1,5})([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_deadline(value: str, *, now: datetime, tz: str | None) -> datetime:
    """The moment (in UTC) a deadline names: `2d`, `12h`, `30m` from now, or an ISO date's end in ``tz``."""
    relative = _RELATIVE.match(value.lower())
    if relative:
        amount, unit = relative.groups()
        due = now + timedelta(**{_UNITS[unit]: int(amount)})
    else:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise CommandError("deadlines.unreadable", value=value[:40]) from None
        due = datetime.combine(day, END_OF_DAY, _zone(tz)).astimezone(timezone.utc)
    if due <= now:
        raise CommandError("deadlines.in_past")
    if due - now > timedelta(days=MAX_DAYS_AHEAD):
        raise CommandError("deadlines.too_far", days=MAX_DAYS_AHEAD)
    return due


def reminder_time(due: datetime, *, now: datetime) -> datetime:
    """A day before the deadline, or halfway there when less than two days are left."""
    return max(due - REMINDER_LEAD, now + (due - now) / 2)


def _zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
