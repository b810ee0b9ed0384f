import datetime as dt

import pytest
from django.core import mail

from tiepdan.core.errors import DomainError, Forbidden, InvalidInput
from tiepdan.hearings import changes, planning
from tiepdan.hearings.errors import HearingStateError
from tiepdan.hearings.models import Hearing, HearingStatus, MilestoneStatus
from tiepdan.notify.models import Delivery
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db


def vn(*args):
    return dt.datetime(*args, tzinfo=VN_TZ)


def test_a_hearing_gets_its_legal_timeline(make_hearing):
    hearing = make_hearing()  # Tuesday 15/12/2026 08:00
    rows = {m.key: m for m in hearing.milestones.all()}
    assert set(rows) == {"notify_parties", "invitations_issued", "connection_test",
                         "final_check", "all_connected"}
    # 5 working days before Tue 15/12: Tue 08/12 (Mon 14, Fri 11, Thu 10, Wed 9, Tue 8).
    assert rows["notify_parties"].due_date == dt.date(2026, 12, 8)
    assert "05 ngày làm việc" in rows["notify_parties"].explanation
    assert rows["connection_test"].due_date == dt.date(2026, 12, 14)
    assert rows["final_check"].due_at == vn(2026, 12, 15, 6, 0)
    assert rows["all_connected"].due_at == vn(2026, 12, 15, 7, 0)


def test_city_leaders_add_the_report_to_the_city(make_hearing):
    hearing = make_hearing(city_leaders_attend=True)
    report = hearing.milestones.get(key="report_to_city")
    # 5 calendar days before 15/12 is Thu 10/12, a working day.
    assert report.due_date == dt.date(2026, 12, 10)


@pytest.mark.parametrize(
    ("start", "field", "code"),
    [
        pytest.param(vn(2026, 11, 30, 8, 0), "starts_at", "past", id="in-the-past"),
        pytest.param(vn(2026, 12, 19, 8, 0), "starts_at", "holiday", id="saturday"),
        pytest.param(vn(2027, 1, 1, 8, 0), "starts_at", "holiday", id="new-year"),
        pytest.param(vn(2027, 2, 8, 8, 0), "starts_at", "holiday", id="tet-2027"),
    ],
)
def test_impossible_dates_are_refused(make_hearing, start, field, code):
    with pytest.raises(InvalidInput) as exc:
        make_hearing(start=start)
    assert exc.value.field_errors[field][0]["code"] == code
    assert Hearing.objects.count() == 0


def test_overlapping_hearings_in_the_same_hall_are_refused(make_hearing):
    make_hearing()
    with pytest.raises(InvalidInput) as exc:
        make_hearing(start=vn(2026, 12, 15, 9, 0))
    assert exc.value.field_errors["starts_at"][0]["code"] == "overlap_hall"
    make_hearing(start=vn(2026, 12, 15, 10, 0))  # right after the first one ends


def test_the_chair_must_be_a_chairman(an_lao, officer, approved_matter, clock):
    with pytest.raises(InvalidInput) as exc:
        planning.create_hearing(an_lao, starts_at=vn(2026, 12, 15, 8, 0), duration_minutes=60,
                                chair=officer, title="x", actor=officer)
    assert "chair" in exc.value.field_errors


def test_a_point_needs_a_technical_contact(make_hearing, officer):
    hearing = make_hearing()
    with pytest.raises(InvalidInput) as exc:
        planning.add_bridge_point(hearing, actor=officer, kind="department", name="Sở TN&MT",
                                  address="Hải Phòng", responsible_person="Ông A",
                                  technical_contact_name="", technical_contact_phone="")
    assert "technical_contact" in exc.value.field_errors
    assert hearing.bridge_points.count() == 0


def test_only_one_central_point(ready_hearing, officer):
    with pytest.raises(InvalidInput) as exc:
        planning.add_bridge_point(ready_hearing, actor=officer, kind="commune_hall",
                                  is_central=True, name="Hội trường 2", address="x",
                                  responsible_person="x", technical_contact_name="x",
                                  technical_contact_phone="0912000777")
    assert exc.value.field_errors["is_central"][0]["code"] == "second_central"


def test_a_hearing_without_a_central_point_cannot_be_confirmed(make_hearing, officer):
    hearing = make_hearing()
    with pytest.raises(HearingStateError, match="trung tâm"):
        planning.confirm_hearing(hearing, actor=officer)
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.DRAFT


def test_confirming_notifies_every_participant(
    ready_hearing, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planning.confirm_hearing(ready_hearing, actor=officer)
    ready_hearing.refresh_from_db()
    assert ready_hearing.status == HearingStatus.CONFIRMED
    [message] = mail.outbox
    assert message.to == ["cong.dan@example.org"]
    assert "/moi/" in message.body
    # The petitioner came with the matter: e-mail and SMS to the contacts of the registration.
    assert sorted(Delivery.objects.filter(purpose="hearings.invitation")
                  .values_list("recipient", "status")) == [
        ("+84912000101", "sent"), ("cong.dan@example.org", "sent")]
    notify = ready_hearing.milestones.get(key="notify_parties")
    assert notify.status == MilestoneStatus.DONE


def test_late_confirmation_needs_the_chairman_and_a_reason(ready_hearing, officer, chairman,
                                                           clock):
    clock.move_to(vn(2026, 12, 9, 9, 0))  # notify_parties (08/12 17:00) has passed
    with pytest.raises(Forbidden, match="Chủ tịch"):
        planning.confirm_hearing(ready_hearing, actor=officer)
    with pytest.raises(InvalidInput):
        planning.confirm_hearing(ready_hearing, actor=chairman)
    planning.confirm_hearing(ready_hearing, actor=chairman, override_reason="Vụ việc cấp bách")
    ready_hearing.refresh_from_db()
    assert ready_hearing.late_override_reason == "Vụ việc cấp bách"


def test_rescheduling_recomputes_and_tells_everyone(
    ready_hearing, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planning.confirm_hearing(ready_hearing, actor=officer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changes.reschedule(ready_hearing, starts_at=vn(2026, 12, 22, 8, 0),
                            duration_minutes=120, actor=officer, reason="Trùng lịch họp")
    ready_hearing.refresh_from_db()
    assert ready_hearing.version == 2
    assert ready_hearing.milestones.get(key="connection_test").due_date == dt.date(2026, 12, 21)
    [message] = mail.outbox
    assert "dời" in message.body and "Trùng lịch họp" in message.body


def test_cancelling_closes_milestones_and_tells_everyone(
    ready_hearing, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        planning.confirm_hearing(ready_hearing, actor=officer)
        changes.cancel(ready_hearing, actor=officer, reason="Công dân rút đơn")
    ready_hearing.refresh_from_db()
    assert ready_hearing.status == HearingStatus.CANCELLED
    assert not ready_hearing.milestones.filter(status=MilestoneStatus.OPEN).exists()
    assert "HỦY" in mail.outbox[-1].body
    with pytest.raises(DomainError):
        changes.reschedule(ready_hearing, starts_at=vn(2026, 12, 22, 8, 0),
                            duration_minutes=60, actor=officer, reason="x")


def test_a_calendar_change_recomputes_open_milestones(
    make_hearing, django_capture_on_commit_callbacks
):
    from tiepdan.workdays.services import add_override

    hearing = make_hearing()
    with django_capture_on_commit_callbacks(execute=True):
        add_override(date=dt.date(2026, 12, 9), kind="day_off", name="Nghỉ đột xuất",
                     legal_reference="QĐ thử nghiệm", actor=None)
    # With Wed 09/12 off, 5 working days before Tue 15/12 are 14, 11, 10, 08, 07 → Mon 07/12.
    assert hearing.milestones.get(key="notify_parties").due_date == dt.date(2026, 12, 7)
