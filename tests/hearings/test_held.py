"""Recording a hearing as held: only after the scheduled start, with a confirmation and the
actual start and end (prefilled from the room when it was used); the room is ended and its
recordings are scheduled for processing; the minutes use the recorded times."""

import datetime as dt

import pytest
from django.urls import reverse

from tiepdan.hearings import planning
from tiepdan.hearings.models import HearingChange, HearingStatus
from tiepdan.intake.models import MatterStatus
from tiepdan.media.models import EventKind, HearingRoom, ProcessingState, RoomEvent, RoomState
from tiepdan.workdays.deadlines import VN_TZ

pytestmark = pytest.mark.django_db


def vn(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=VN_TZ)


@pytest.fixture
def confirmed(ready_hearing, officer):
    planning.confirm_hearing(ready_hearing, actor=officer)
    ready_hearing.refresh_from_db()
    return ready_hearing


@pytest.fixture
def used_room(confirmed, clock):
    """The room was opened at the final check and the chair joined at 08:03."""
    room = HearingRoom.objects.create(hearing=confirmed, janus_room_id=777, sealed_secret="x",
                                      started_at=vn(15, 6, 30), recording_started=True)
    for at, actor, role in ((vn(15, 6, 30), "Ngô Văn Kỹ", "operator"),
                            (vn(15, 8, 3), "Vũ Văn Chủ", "chair")):
        RoomEvent.objects.create(room=room, at=at, offset_seconds=0, kind=EventKind.JOIN,
                                 actor=actor, detail={"role": role})
    return room


def state(hearing) -> tuple:
    hearing.refresh_from_db()
    return (hearing.status, hearing.held_at, HearingChange.objects.count(),
            RoomEvent.objects.count())


def url(an_lao, hearing) -> str:
    return reverse("hearings:action", args=[an_lao.ward_code, hearing.pk, "held"])


GOOD = {"started_at": "2026-12-15T08:03", "ended_at": "2026-12-15T09:47", "confirm": "on"}


@pytest.mark.parametrize(("now", "data", "expected"), [
    pytest.param(vn(15, 7, 59), GOOD, "chưa đến giờ bắt đầu", id="before-the-start"),
    pytest.param(vn(15, 10, 0), {**GOOD, "confirm": ""}, "Đánh dấu ô xác nhận", id="no-confirm"),
    pytest.param(vn(15, 10, 0), {**GOOD, "started_at": ""}, "Vui lòng điền", id="no-start"),
    pytest.param(vn(15, 10, 0), {**GOOD, "ended_at": "2026-12-15T08:00"},
                 "phải sau thời điểm bắt đầu", id="end-before-start"),
    pytest.param(vn(15, 9, 0), GOOD, "không được ở tương lai", id="end-in-the-future"),
])
def test_bad_input_records_nothing(client, login_staff, officer, an_lao, confirmed, clock,
                                   now, data, expected):
    clock.move_to(now)
    login_staff(client, officer)
    before = state(confirmed)
    response = client.post(url(an_lao, confirmed), data)
    assert response.status_code == 422
    assert expected in response.content.decode()
    assert state(confirmed) == before
    assert confirmed.status == HearingStatus.CONFIRMED


def test_the_form_is_prefilled_from_the_room(client, login_staff, officer, an_lao, used_room,
                                             clock):
    clock.move_to(vn(15, 10, 0))
    login_staff(client, officer)
    page = client.get(reverse("hearings:detail",
                              args=[an_lao.ward_code, used_room.hearing_id])).content.decode()
    # The chair's first join, not the operator's final check.
    assert 'value="2026-12-15T08:03"' in page


def test_recording_held_from_the_page_ends_the_room_and_schedules_processing(
        client, login_staff, officer, an_lao, used_room, approved_matter, clock,
        django_capture_on_commit_callbacks):
    from huey.contrib.djhuey import HUEY

    clock.move_to(vn(15, 10, 0))
    login_staff(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(an_lao, used_room.hearing), GOOD)
    assert response.status_code == 302
    hearing = used_room.hearing
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HELD
    assert (hearing.actual_started_at, hearing.held_at) == (vn(15, 8, 3), vn(15, 9, 47))
    approved_matter.refresh_from_db()
    assert approved_matter.status == MatterStatus.HEARD
    used_room.refresh_from_db()
    assert used_room.state == RoomState.ENDED and used_room.end_cause == "held"
    assert used_room.processing_state == ProcessingState.QUEUED
    assert RoomEvent.objects.filter(room=used_room).latest("id").kind == EventKind.END
    scheduled = [t for t in HUEY.scheduled() if t.name.endswith("process_recordings")]
    assert [t.args for t in scheduled] == [(hearing.pk,)]
    page = client.get(response["Location"]).content.decode()
    assert "Đã ghi nhận buổi tiếp kết thúc (08:03–09:47 15/12/2026)" in page
    assert "Tiếp theo: lập biên bản" in page
    # Nothing after the end goes on the hearing's timeline.
    from tiepdan.media import room_service

    assert room_service.record_event(used_room.pk, EventKind.JOIN, actor="Muộn") is None
    # The minutes use the recorded times.
    from tiepdan.minutes import services as minutes

    drafted = minutes.draft_minutes(hearing, actor=officer)
    assert "bắt đầu lúc 08 giờ 03" in drafted.opening and "kết thúc lúc 09 giờ 47" in \
        drafted.opening
