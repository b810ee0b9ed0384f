"""Reminders before the due date (once per due date, re-armed by a new date) and escalation
after it (once, to the office and the Chairman)."""

import datetime as dt

import pytest
from django.core import mail

from tiepdan.followup import reminders, services
from tiepdan.workdays import services as workdays

from .conftest import vn

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(matter, officer, chairman, land_office, clock):
    # 15/12 + 5 working days: due Tuesday 22/12/2026.
    task = services.create_task(matter, title="Sửa đoạn đường sạt lở", body=land_office,
                                due_working_days=5, actor=officer)
    assert task.due_date == dt.date(2026, 12, 22)
    mail.outbox.clear()
    return task


def _run(capture, job):
    with capture(execute=True):
        return job()


def test_the_owner_body_is_reminded_once_two_working_days_before(
        task, rep, clock, django_capture_on_commit_callbacks):
    clock.move_to(vn(2026, 12, 17, 9, 0))  # Thursday: 22/12 is three working days away
    assert _run(django_capture_on_commit_callbacks, reminders.remind_due_tasks) == 0
    clock.move_to(vn(2026, 12, 18, 9, 0))  # Friday: two working days away
    assert _run(django_capture_on_commit_callbacks, reminders.remind_due_tasks) == 2
    assert _run(django_capture_on_commit_callbacks, reminders.remind_due_tasks) == 0

    assert sorted(m.to[0] for m in mail.outbox) == [rep.email, "diachinh.anlao@example.org"]
    assert "22/12/2026" in mail.outbox[0].body
    task.refresh_from_db()
    assert task.reminded_for == dt.date(2026, 12, 22)


def test_a_new_due_date_rearms_the_reminder(
        task, officer, clock, django_capture_on_commit_callbacks):
    clock.move_to(vn(2026, 12, 18, 9, 0))
    _run(django_capture_on_commit_callbacks, reminders.remind_due_tasks)
    services.change_due(task, due_date=dt.date(2026, 12, 29), reason="Chờ vật liệu",
                        actor=officer)
    mail.outbox.clear()
    assert _run(django_capture_on_commit_callbacks, reminders.remind_due_tasks) == 0
    clock.move_to(vn(2026, 12, 25, 9, 0))  # Friday: 29/12 is two working days away
    assert _run(django_capture_on_commit_callbacks, reminders.remind_due_tasks) == 2
    assert all("29/12/2026" in m.body for m in mail.outbox)


def test_an_overdue_task_is_escalated_once_to_the_office_and_the_chairman(
        task, officer, chairman, rep, clock, django_capture_on_commit_callbacks):
    clock.move_to(vn(2026, 12, 22, 18, 0))  # the due day itself is not overdue
    assert _run(django_capture_on_commit_callbacks, reminders.escalate_overdue_tasks) == 0
    clock.move_to(vn(2026, 12, 23, 8, 0))
    assert _run(django_capture_on_commit_callbacks, reminders.escalate_overdue_tasks) == 1
    assert _run(django_capture_on_commit_callbacks, reminders.escalate_overdue_tasks) == 0

    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([officer.email, chairman.email])
    assert "QUÁ HẠN" in mail.outbox[0].subject
    task.refresh_from_db()
    assert task.escalated_at == vn(2026, 12, 23, 8, 0)


def test_a_finished_task_is_neither_reminded_nor_escalated(
        task, rep, clock, django_capture_on_commit_callbacks):
    services.complete(task, result="Đã sửa xong.", actor=rep)
    mail.outbox.clear()
    clock.move_to(vn(2026, 12, 28, 9, 0))
    assert _run(django_capture_on_commit_callbacks, reminders.remind_due_tasks) == 0
    assert _run(django_capture_on_commit_callbacks, reminders.escalate_overdue_tasks) == 0


def test_a_later_due_date_rearms_the_escalation(
        task, officer, clock, django_capture_on_commit_callbacks):
    clock.move_to(vn(2026, 12, 23, 8, 0))
    _run(django_capture_on_commit_callbacks, reminders.escalate_overdue_tasks)
    services.change_due(task, due_working_days=3, reason="Gia hạn", actor=officer)
    task.refresh_from_db()
    assert task.escalated_at is None and task.due_date == dt.date(2026, 12, 28)
    clock.move_to(vn(2026, 12, 29, 8, 0))
    assert _run(django_capture_on_commit_callbacks, reminders.escalate_overdue_tasks) == 1


def test_a_new_day_off_moves_a_task_counted_in_working_days(
        task, officer, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workdays.add_override(date=dt.date(2026, 12, 21), kind="day_off",
                              name="Nghỉ bù (thử nghiệm)", legal_reference="Thông báo thử",
                              actor=officer)
    task.refresh_from_db()
    assert task.due_date == dt.date(2026, 12, 23)
    assert "21/12" in task.due_explanation
