"""The draft of the minutes comes from the hearing's data: time and place, who attended at
each bridge point, the matters heard and the floor timeline with offsets into the recording."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.builders import make_hearing
from tiepdan.core.models import AuditEntry
from tiepdan.minutes import services
from tiepdan.minutes.drafting import clock, recording_link
from tiepdan.minutes.errors import MinutesStateError
from tiepdan.minutes.models import MinutesStatus

pytestmark = pytest.mark.django_db


def test_the_draft_holds_time_place_and_chair(hearing, officer):
    minutes = services.draft_minutes(hearing, actor=officer)
    assert (minutes.version, minutes.status) == (1, MinutesStatus.DRAFT)
    # The actual start: the chair's first join in the room (hearings.held), not 08:00 planned.
    assert "bắt đầu lúc 08 giờ 02 ngày 15/12/2026, kết thúc lúc 10 giờ 05" in minutes.opening
    assert "Ghi âm, ghi hình từ 08 giờ 02" in minutes.opening
    assert "điểm cầu trung tâm Trụ sở UBND xã, Thôn Hàm Hy" in minutes.opening
    assert minutes.chair == "Vũ Văn Chủ Tịch, Chủ tịch Ủy ban nhân dân xã An Lão"
    assert minutes.chair_name == "Vũ Văn Chủ Tịch"
    assert minutes.secretary_name == "Đỗ Thị Văn Phòng"  # who drafted it, editable
    assert AuditEntry.objects.filter(object_type="minutes.minutes", type="minutes.minutes.drafted",
                                     object_id=str(minutes.pk), actor=officer,
                                     data={"hearing": str(hearing)}).exists()


def test_attendance_lists_who_confirmed_substituted_and_joined(hearing, officer):
    minutes = services.draft_minutes(hearing, actor=officer)
    central, village = minutes.attendance
    assert central["is_central"] and central["name"] == "Trụ sở UBND xã"
    people = {p["name"]: p for p in central["participants"]}
    assert set(people) == {"Bùi Thị Thay"}  # the one who declined is not listed
    assert people["Bùi Thị Thay"]["substitutes_for"] == "Phạm Văn Địa"
    assert central["others_joined"] == ["Vũ Văn Chủ Tịch"]  # joined without an invitation
    (citizen,) = village["participants"]
    assert citizen["name"] == "Trần Thị Bình" and citizen["joined"] is True
    assert citizen["attendance"] == "confirmed"


def test_matters_heard_are_listed(hearing, officer, recommendation, denunciation):
    minutes = services.draft_minutes(hearing, actor=officer)
    assert [m["code"] for m in minutes.matters] == [recommendation.tracking_code,
                                                    denunciation.tracking_code]
    assert minutes.matters[0]["summary"] == "Kiến nghị sửa đường liên thôn"


def test_the_timeline_has_offsets_and_who_spoke(hearing, officer):
    minutes = services.draft_minutes(hearing, actor=officer)
    rows = [(row["clock"], row["kind"], row["text"]) for row in minutes.timeline]
    assert rows == [
        ("00:00:10", "join", "Vũ Văn Chủ Tịch vào phòng (Trụ sở UBND xã)"),
        ("00:01:05", "join", "Trần Thị Bình vào phòng (Nhà văn hóa thôn Đông)"),
        ("00:05:00", "hand_raise", "Trần Thị Bình xin phát biểu (Nhà văn hóa thôn Đông)"),
        ("00:05:12", "grant",
         "Vũ Văn Chủ Tịch cho Trần Thị Bình (Nhà văn hóa thôn Đông) phát biểu (180 giây)"),
        ("00:08:12", "revoke", "Hết thời gian phát biểu của Trần Thị Bình"),
        ("01:01:40", "leave", "Trần Thị Bình rời phòng (Nhà văn hóa thôn Đông)"),
    ]  # "publish" is not a floor event
    assert minutes.timeline[3]["offset"] == 312


@pytest.mark.parametrize(("seconds", "text"), [(0, "00:00:00"), (59.9, "00:00:59"),
                                               (3725, "01:02:05"), (-3, "00:00:00")])
def test_clock(seconds, text):
    assert clock(seconds) == text


def test_the_recording_link_points_at_the_offset(hearing):
    link = recording_link(hearing, 312.4)
    assert link == reverse("media:recordings", args=[hearing.pk]) + "#t=312"


def test_only_a_held_hearing_gets_minutes(an_lao, officer, chairman):
    confirmed = make_hearing(an_lao, "confirmed", officer=officer, chairman=chairman)
    with pytest.raises(MinutesStateError, match="đã tổ chức"):
        services.draft_minutes(confirmed, actor=officer)
    assert not confirmed.minutes.exists()


def test_refreshing_a_draft_keeps_what_the_officer_wrote(hearing, officer):
    minutes = services.draft_minutes(hearing, actor=officer)
    services.update_sections(minutes, actor=officer, proceedings="Công dân trình bày.")
    again = services.draft_minutes(hearing, actor=officer)
    assert again.pk == minutes.pk and again.proceedings == "Công dân trình bày."
