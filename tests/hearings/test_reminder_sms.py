"""The day-before reminder by SMS: one text per participant with a phone, in one GSM-7 segment,
with the time and the short link to their invitation page (room, readiness test)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tiepdan.hearings import changes, planning, reminders, tasks
from tiepdan.hearings.invitations import invitation_short_url
from tiepdan.hearings.models import Participant
from tiepdan.notify.models import Delivery
from tiepdan.notify.sms_text import SmsEncoding, cost
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db

PURPOSE = "hearings.participant_reminder"


def vn(*args):
    return dt.datetime(*args, tzinfo=VN_TZ)


@pytest.fixture
def confirmed(ready_hearing, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        planning.confirm_hearing(ready_hearing, actor=officer)
    return ready_hearing


def _sms():
    return list(Delivery.objects.filter(purpose=PURPOSE, channel="sms"))


def test_the_day_before_each_participant_with_a_phone_gets_one_sms(
    confirmed, clock, django_capture_on_commit_callbacks, settings
):
    clock.move_to(vn(2026, 12, 14, 9, 0))  # the day before 15/12 08:00
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders()  # the periodic Huey job, run inline
    person = Participant.objects.get(bridge_point__hearing=confirmed, is_citizen=True)
    [sms] = _sms()
    assert sms.recipient == person.phone and sms.status == "sent"
    assert sms.body_text == (
        "UBND xa An Lao nhac lich tiep cong dan 08:00 15/12/2026. "
        f"Kiem tra thiet bi: {invitation_short_url(person)}"
    )
    assert (cost(sms.body_text).encoding, cost(sms.body_text).segments) == (SmsEncoding.GSM7, 1)
    page = Client().get(invitation_short_url(person).removeprefix(settings.SITE_URL), follow=True)
    assert page.status_code == 200 and 'id="readiness-link"' in page.content.decode()


def test_running_the_job_twice_sends_one_sms(confirmed, clock, django_capture_on_commit_callbacks):
    clock.move_to(vn(2026, 12, 14, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders()
        tasks.send_due_reminders()
        assert reminders.remind_participants() == 0
    assert len(_sms()) == 1


def test_three_days_before_the_reminder_is_by_email_only(
    confirmed, clock, django_capture_on_commit_callbacks
):
    clock.move_to(vn(2026, 12, 12, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_participants() == 1
    assert _sms() == []
    assert Delivery.objects.filter(purpose=PURPOSE, channel="email").count() == 1


def test_a_participant_with_only_a_phone_is_reminded(
    confirmed, clock, django_capture_on_commit_callbacks
):
    Participant.objects.filter(bridge_point__hearing=confirmed).update(email="")
    clock.move_to(vn(2026, 12, 14, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_participants() == 1
    assert len(_sms()) == 1
    assert not Delivery.objects.filter(purpose=PURPOSE, channel="email").exists()


def test_a_rescheduled_hearing_is_reminded_for_its_new_date_only(
    confirmed, officer, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changes.reschedule(
            confirmed,
            starts_at=vn(2026, 12, 29, 8, 0),
            duration_minutes=120,
            actor=officer,
            reason="Dời",
        )
    clock.move_to(vn(2026, 12, 14, 9, 0))  # the day before the OLD date
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind_participants()
    assert _sms() == []
    clock.move_to(vn(2026, 12, 28, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind_participants()
    [sms] = _sms()
    assert "08:00 29/12/2026" in sms.body_text
