"""A hearing created or moved to a time whose notice periods are already past needs the
Chairman's decision with a reason; the refusal names each broken period and its due date,
and nothing is saved."""

import datetime as dt

import pytest
from django.urls import reverse

from tiepdan.core.errors import Forbidden, InvalidInput
from tiepdan.hearings import changes, planning
from tiepdan.hearings.models import ChangeKind, Hearing, HearingChange, HearingStatus, Milestone
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db
#: Wednesday 02/12/2026, the day after "now" (tests/fixtures/clock.py: 01/12 09:00).
TOMORROW = dt.datetime(2026, 12, 2, 8, 0, tzinfo=VN_TZ)


def rows() -> tuple[int, int, int]:
    return Hearing.objects.count(), HearingChange.objects.count(), Milestone.objects.count()


def create(an_lao, chairman, actor, matter, **extra):
    return planning.create_hearing(an_lao, starts_at=TOMORROW, duration_minutes=120,
                                   chair=chairman, title="Tiếp đột xuất", actor=actor,
                                   kind="ad_hoc", matters=[matter], **extra)


def test_the_office_cannot_create_a_hearing_for_tomorrow(an_lao, chairman, officer,
                                                          approved_matter, clock):
    before = rows()
    with pytest.raises(Forbidden) as refused:  # a permission the office lacks: 403
        create(an_lao, chairman, officer, approved_matter)
    message = str(refused.value.message)
    # Each broken period, named with its due date (5 working days back from 02/12: 25/11).
    assert "Thông báo công dân, cơ quan tham gia" in message and "25/11/2026" in message
    assert "Phát hành Giấy mời (hạn 27/11/2026)" in message
    assert "Chủ tịch" in message
    assert refused.value.code == "late"
    assert rows() == before


def test_the_chairman_must_give_a_reason(an_lao, chairman, approved_matter, clock):
    before = rows()
    with pytest.raises(InvalidInput) as refused:
        create(an_lao, chairman, chairman, approved_matter, late_reason="   ")
    assert "late_reason" in refused.value.field_errors
    assert "25/11/2026" in str(refused.value.message)
    assert rows() == before


def test_the_chairmans_decision_is_recorded_and_covers_the_confirmation(
        an_lao, chairman, officer, approved_matter, clock):
    hearing = create(an_lao, chairman, chairman, approved_matter,
                     late_reason="Vụ việc đông người, cần tiếp ngay")
    change = HearingChange.objects.get(hearing=hearing)
    assert change.kind == ChangeKind.CREATED and change.actor == chairman
    assert change.reason == "Vụ việc đông người, cần tiếp ngay"
    keys = [p["key"] for p in change.late_periods]
    assert keys == ["notify_parties", "invitations_issued"]
    assert change.late_periods[0]["due"] == "25/11/2026"
    # The office prepares and confirms it: the Chairman has already decided on this time.
    planning.add_bridge_point(
        hearing, actor=officer, kind="commune_hall", is_central=True, name="Trụ sở UBND xã",
        address="Thôn Hàm Hy", responsible_person="Vũ Văn Chủ",
        technical_contact_name="Ngô Văn Kỹ", technical_contact_phone="0912000999")
    point = planning.add_bridge_point(
        hearing, actor=officer, kind="citizen", name="Nhà văn hóa thôn Đông",
        address="Thôn Đông", responsible_person="Lý Văn Thôn",
        technical_contact_name="Lý Văn Thôn", technical_contact_phone="0912000888")
    planning.add_participant(point, actor=officer, full_name="Trần Thị Bình", is_citizen=True)
    planning.confirm_hearing(hearing, actor=officer)
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.CONFIRMED
    assert hearing.late_override_reason == "Vụ việc đông người, cần tiếp ngay"


def test_a_time_that_leaves_every_period_needs_no_decision(make_hearing):
    hearing = make_hearing()  # 15/12: notify by 08/12
    assert HearingChange.objects.get(hearing=hearing).late_periods == []


def test_moving_a_draft_to_a_late_date_goes_through_the_same_rule(make_hearing, officer,
                                                                  chairman):
    hearing = make_hearing()
    before = (rows(), Hearing.objects.get(pk=hearing.pk).starts_at)
    with pytest.raises(Forbidden, match="25/11/2026"):
        changes.reschedule(hearing, starts_at=TOMORROW, duration_minutes=120, actor=officer,
                            reason="Chủ tịch bận ngày 15")
    assert (rows(), Hearing.objects.get(pk=hearing.pk).starts_at) == before
    changes.reschedule(hearing, starts_at=TOMORROW, duration_minutes=120, actor=chairman,
                        reason="Chủ tịch bận ngày 15", late_reason="Công dân sắp đi xa")
    change = HearingChange.objects.filter(hearing=hearing).latest("id")
    assert change.kind == ChangeKind.RESCHEDULED and change.late_periods
    assert change.previous_starts_at == dt.datetime(2026, 12, 15, 8, 0, tzinfo=VN_TZ)


def test_the_page_names_the_broken_periods_and_saves_nothing(client, login_staff, an_lao,
                                                             officer, chairman, clock):
    login_staff(client, officer)
    url = reverse("hearings:list", args=[an_lao.ward_code])
    data = {"title": "Tiếp đột xuất", "kind": "ad_hoc", "starts_at": "2026-12-02T08:00",
            "duration_minutes": "60", "chair": str(chairman.pk)}
    response = client.post(url, data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "25/11/2026" in page and "Phát hành Giấy mời" in page and "Chủ tịch" in page
    assert Hearing.objects.count() == 0
    client.logout()
    login_staff(client, chairman)
    response = client.post(url, {**data, "late_reason": "Vụ việc cấp bách"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'id="late-decision"' in page and "Vụ việc cấp bách" in page
    assert "Đã lập buổi tiếp" in page  # the success message says what comes next
