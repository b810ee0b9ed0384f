import datetime as dt

import pytest
from django.core import mail

from tiepdan.hearings import changes, planning, reminders
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db


def vn(*args):
    return dt.datetime(*args, tzinfo=VN_TZ)


def test_milestone_owners_are_reminded_once(
    ready_hearing, officer, clock, django_capture_on_commit_callbacks
):
    clock.move_to(vn(2026, 12, 7, 18, 0))  # notify_parties is due 08/12 17:00
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_milestones() == 1
        assert reminders.remind_milestones() == 0  # never twice for the same date
    [message] = mail.outbox
    assert message.to == [officer.email]
    assert "Thông báo công dân" in message.subject


def test_participants_are_reminded_three_days_and_one_day_before(
    ready_hearing, officer, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planning.confirm_hearing(ready_hearing, actor=officer)
    mail.outbox.clear()
    clock.move_to(vn(2026, 12, 12, 9, 0))  # 3 days before 15/12 08:00
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_participants() == 1
        assert reminders.remind_participants() == 0
    clock.move_to(vn(2026, 12, 14, 9, 0))  # 1 day before
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_participants() == 1
    assert [m.to for m in mail.outbox] == [["cong.dan@example.org"]] * 2


def test_no_stale_reminder_after_a_reschedule(
    ready_hearing, officer, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planning.confirm_hearing(ready_hearing, actor=officer)
        changes.reschedule(ready_hearing, starts_at=vn(2026, 12, 29, 8, 0),
                            duration_minutes=120, actor=officer, reason="Dời")
    mail.outbox.clear()
    clock.move_to(vn(2026, 12, 12, 9, 0))  # 3 days before the OLD date
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_participants() == 0
        reminders.remind_milestones()
    assert not any("15/12/2026" in m.body for m in mail.outbox)


def test_a_cancelled_hearing_sends_no_reminders(
    ready_hearing, officer, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planning.confirm_hearing(ready_hearing, actor=officer)
        changes.cancel(ready_hearing, actor=officer, reason="Hủy")
    mail.outbox.clear()
    clock.move_to(vn(2026, 12, 14, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_participants() + reminders.remind_milestones() == 0
    assert mail.outbox == []
