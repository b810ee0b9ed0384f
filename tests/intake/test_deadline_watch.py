"""The statutory matter deadlines watched: the office is told by e-mail, once per deadline, mark
and due date, of the open deadlines that became due soon or overdue (issue 14)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import COMPLAINT, make_matter
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.intake import deadline_watch, tasks
from tiepdan.intake import matter_deadlines as md
from tiepdan.intake.models import MatterDeadline, MatterKind
from tiepdan.notify.models import Delivery
from tiepdan.workdays import services
from tiepdan.workdays.calendar import OverrideKind
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db

# Received Friday 13/02/2026, before Tết (16–20/02 off): the 10-working-day notice is due
# Friday 06/03/2026.
RECEIVED = dt.datetime(2026, 2, 13, 9, 30, tzinfo=VN_TZ)
TUESDAY, WEDNESDAY, NEXT_MONDAY = (dt.datetime(2026, 3, day, 7, 5, tzinfo=VN_TZ)
                                   for day in (3, 4, 9))


@pytest.fixture
def office(an_lao):
    return staff_user(Role.OFFICE_OFFICER, an_lao, email="vanphong@anlao.example")


@pytest.fixture
def matter(an_lao):
    return make_matter(an_lao, since=RECEIVED)  # a recommendation: one deadline


def _mails() -> list[Delivery]:
    return list(Delivery.objects.filter(purpose=deadline_watch.PURPOSE).order_by("pk"))


def test_a_deadline_is_told_once_when_due_soon_and_once_when_overdue(office, matter):
    assert deadline_watch.warn_offices(TUESDAY) == 0  # 3 working days ahead: running
    assert _mails() == []

    assert deadline_watch.warn_offices(WEDNESDAY) == 1  # 2 working days ahead: due soon
    [soon] = _mails()
    assert soon.recipient == "vanphong@anlao.example"
    assert "1 thời hạn sắp đến hạn" in soon.subject
    assert matter.tracking_code in soon.body_text
    assert "06/03/2026 (sắp đến hạn)" in soon.body_text
    assert f"/can-bo/xa/11629/ho-so/{matter.pk}/" in soon.body_text
    assert deadline_watch.warn_offices(WEDNESDAY + dt.timedelta(hours=1)) == 0  # told already

    assert deadline_watch.warn_offices(NEXT_MONDAY) == 1
    overdue = _mails()[1]
    assert "1 thời hạn quá hạn" in overdue.subject and "(quá hạn)" in overdue.body_text
    assert deadline_watch.warn_offices(NEXT_MONDAY) == 0
    assert len(_mails()) == 2


def test_a_met_deadline_is_not_told(office, matter):
    md.close_deadlines(matter, [md.NOTIFY_OUTCOME])
    assert deadline_watch.warn_offices(NEXT_MONDAY) == 0
    assert _mails() == []


def test_a_due_date_moved_by_the_calendar_is_told_again(office, matter,
                                                       django_capture_on_commit_callbacks):
    assert deadline_watch.warn_offices(WEDNESDAY) == 1
    with django_capture_on_commit_callbacks(execute=True):  # the recompute runs after commit
        services.add_override(date=dt.date(2026, 3, 5), kind=OverrideKind.DAY_OFF,
                              name="Nghỉ đột xuất (thử nghiệm)", legal_reference="QĐ thử nghiệm",
                              actor=staff_user(Role.SYSTEM_ADMIN))
    deadline = MatterDeadline.objects.get(matter=matter)
    assert deadline.due == dt.date(2026, 3, 9)  # one working day later
    # Told again for the new date once it is due soon, not before.
    assert deadline_watch.warn_offices(TUESDAY) == 0
    assert deadline_watch.warn_offices(dt.datetime(2026, 3, 5, 7, 5, tzinfo=VN_TZ)) == 1
    assert "09/03/2026 (sắp đến hạn)" in _mails()[-1].body_text


def test_one_message_per_commune_lists_each_deadline(office, an_lao):
    matters = [make_matter(an_lao, since=RECEIVED, **COMPLAINT) for _ in range(2)]
    assert deadline_watch.warn_offices(NEXT_MONDAY) == 4  # two deadlines each, all overdue
    [mail] = _mails()
    assert "4 thời hạn quá hạn" in mail.subject
    for made in matters:
        assert mail.body_text.count(made.tracking_code) == 2


def test_a_sealed_denouncer_is_named_nowhere(office, an_lao):
    matter = make_matter(an_lao, since=RECEIVED, kind=MatterKind.TO_CAO,
                         full_name="Phạm Văn Tố", phone="0912000999")  # sealed on registration
    assert matter.identity_sealed
    assert deadline_watch.warn_offices(NEXT_MONDAY) == 2
    [mail] = _mails()
    assert matter.tracking_code in mail.body_text
    for secret in ("Phạm Văn Tố", "0912000999", "+84912000999"):
        assert secret not in mail.body_text and secret not in mail.subject


def test_the_worker_runs_the_watch_every_working_hour(office, matter, time_machine):
    task = tasks.watch_matter_deadlines
    assert task.task_class().validate_datetime(dt.datetime(2026, 3, 4, 7, 5))
    assert not task.task_class().validate_datetime(dt.datetime(2026, 3, 4, 22, 5))
    time_machine.move_to(WEDNESDAY)
    assert task.call_local() == 1
    assert len(_mails()) == 1
