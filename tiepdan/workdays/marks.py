"""When a deadline is "due soon" or "overdue": one rule for every kind of deadline — a matter's
statutory periods, a hearing's preparation milestones, a follow-up task — so the dashboard, the
lists, the mails and the API mark the same things the same way.

- Overdue: the due day (or moment) has passed.
- Due soon: due at most ``DUE_SOON_WORKING_DAYS`` working days ahead, the days off after the last
  of them included (a deadline on the Saturday after a Friday two working days ahead is as soon
  as one on that Friday).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils import timezone

from .calendar import WorkCalendar

DUE_SOON_WORKING_DAYS = 2


class Mark(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    RUNNING = "running"
    MET = "met"


def due_soon_limit(today: dt.date, calendar: WorkCalendar) -> dt.date:
    """The last day a deadline counts as due soon on ``today`` (for filters and counts in SQL)."""
    return calendar.add_working_days(today, DUE_SOON_WORKING_DAYS + 1) - dt.timedelta(days=1)


def mark_day(due: dt.date, today: dt.date, calendar: WorkCalendar, *, met: bool = False) -> Mark:
    """The mark of a deadline due on the day ``due``."""
    if met:
        return Mark.MET
    if due < today:
        return Mark.OVERDUE
    return Mark.DUE_SOON if due <= due_soon_limit(today, calendar) else Mark.RUNNING


def due_soon_until(now: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """For deadlines that are moments (a hearing's milestones): due soon when due before this
    moment, the local midnight ending the last due-soon day."""
    limit = due_soon_limit(timezone.localdate(now), calendar) + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(limit, dt.time()))


def mark_moment(due: dt.datetime, now: dt.datetime, calendar: WorkCalendar, *,
                met: bool = False) -> Mark:
    """The mark of a deadline due at the moment ``due``."""
    if met:
        return Mark.MET
    if due < now:
        return Mark.OVERDUE
    return Mark.DUE_SOON if due < due_soon_until(now, calendar) else Mark.RUNNING
