"""One rule marks every kind of deadline due soon or overdue (workdays.marks): a matter's
statutory period, a follow-up task and a hearing's milestone due the same day get the same mark
(tested with the real calendar: the weekend after Friday 06/03/2026)."""

from __future__ import annotations

import datetime as dt

import pytest

from tiepdan.followup import services as followup
from tiepdan.followup.models import FollowUpTask, TaskStatus
from tiepdan.hearings import milestones
from tiepdan.hearings.milestones import END_OF_WORKING_DAY
from tiepdan.hearings.models import Milestone, MilestoneStatus
from tiepdan.intake import matter_deadlines
from tiepdan.intake.models import MatterDeadline
from tiepdan.workdays import marks
from tiepdan.workdays.services import current_calendar

pytestmark = pytest.mark.django_db

VN = dt.timezone(dt.timedelta(hours=7))
WEDNESDAY = dt.date(2026, 3, 4)


@pytest.mark.parametrize(("due", "expected"), [
    pytest.param(dt.date(2026, 3, 3), "overdue", id="Tue-03/03: yesterday"),
    pytest.param(dt.date(2026, 3, 4), "due_soon", id="Wed-04/03: today"),
    pytest.param(dt.date(2026, 3, 6), "due_soon", id="Fri-06/03: 2 working days ahead"),
    pytest.param(dt.date(2026, 3, 8), "due_soon", id="Sun-08/03: the weekend after it"),
    pytest.param(dt.date(2026, 3, 9), "running", id="Mon-09/03: 3 working days ahead"),
])
def test_every_kind_of_deadline_due_the_same_day_gets_the_same_mark(due, expected):
    calendar = current_calendar()
    now = dt.datetime.combine(WEDNESDAY, dt.time(8, 0), tzinfo=VN)
    assert marks.mark_day(due, WEDNESDAY, calendar) == expected
    matter = matter_deadlines.mark_of(MatterDeadline(due=due, open=True), WEDNESDAY, calendar)
    task = followup.mark(FollowUpTask(status=TaskStatus.OPEN, due_date=due), WEDNESDAY, calendar)
    milestone = milestones.mark(Milestone(status=MilestoneStatus.OPEN, due_at=dt.datetime.combine(
        due, END_OF_WORKING_DAY, tzinfo=VN)), now)
    running_as_blank = "" if expected == "running" else expected
    assert (str(matter), task, milestone) == (expected, running_as_blank, running_as_blank)


def test_a_moment_is_overdue_once_it_has_passed_and_met_is_met():
    calendar = current_calendar()
    now = dt.datetime(2026, 3, 4, 10, 0, tzinfo=VN)
    assert marks.mark_moment(now - dt.timedelta(minutes=1), now, calendar) == marks.Mark.OVERDUE
    assert marks.mark_moment(now + dt.timedelta(minutes=1), now, calendar) == marks.Mark.DUE_SOON
    # Due soon until the local midnight ending Sunday 08/03, not for 48 hours.
    assert marks.due_soon_until(now, calendar) == dt.datetime(2026, 3, 9, 0, 0, tzinfo=VN)
    assert marks.mark_day(dt.date(2026, 3, 1), WEDNESDAY, calendar, met=True) == marks.Mark.MET
