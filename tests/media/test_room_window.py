"""The room opens only from the final check (2 hours before the start) until it is ended:
a join outside that window is refused with a Vietnamese message saying when it opens, on the
page and on the WebSocket (against the real Janus), and nothing is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builders import staff
from tests.factories import CommuneFactory
from tiepdan.core.models import Role
from tiepdan.hearings import changes
from tiepdan.hearings.join_tokens import join_token
from tiepdan.hearings.models import Hearing, HearingStatus
from tiepdan.media.models import HearingRoom, RoomEvent

from .conftest import RoomCast
from .test_signalling import enter, join, receive_type, run, staff_cookie, ws

pytestmark = pytest.mark.usefixtures("rooms_on_test_janus")


@pytest.fixture
def cast_starting_in(transactional_db):
    """``cast_starting_in(hours)``: the room cast, its hearing planned to start then."""

    def build(hours: float) -> RoomCast:
        return RoomCast(CommuneFactory(ward_code=11629, name="Xã An Lão"),
                        starts_at=timezone.now() + dt.timedelta(hours=hours))

    return build


def hello_refused(cast, token: str) -> dict:
    async def scenario() -> dict:
        comm = ws(cast.hearing.pk)
        await comm.connect()
        await comm.send_json_to({"type": "hello", "token": token})
        refused = await receive_type(comm, "error")
        await comm.disconnect()
        return refused

    return run(scenario())


def test_a_join_before_the_final_check_is_refused_saying_when_it_opens(cast_starting_in):
    cast = cast_starting_in(3)  # the room opens in 1 hour
    refused = hello_refused(cast, join_token(cast.official))
    opens = timezone.localtime(timezone.now() + dt.timedelta(hours=1))
    assert refused["code"] == "not_open_yet"
    assert f"mở từ {opens:%H:%M} ngày {opens:%d/%m/%Y}" in refused["message"]
    assert not HearingRoom.objects.exists()  # no Janus room, nothing recorded


def test_the_page_says_when_the_room_opens_and_points_to_the_test(client, cast_starting_in):
    cast = cast_starting_in(3)
    token = join_token(cast.official)
    response = client.get(reverse("media:join", args=[token]))
    page = response.content.decode()
    assert response.status_code == 409  # a state, not a permission
    assert "Phòng tiếp trực tuyến chưa mở" in page and 'data-code="not_open_yet"' in page
    assert reverse("media:readiness", args=[token]) in page


def test_inside_the_window_the_room_opens_and_records_from_the_chair(cast_starting_in, client,
                                                                    login_staff):
    cast = cast_starting_in(1.5)  # the final check has begun

    async def participant_then_chair(cookie: str) -> tuple[bool, bool]:
        official = ws(cast.hearing.pk)
        await join(official, join_token(cast.official))
        before = await HearingRoom.objects.aget(hearing=cast.hearing)
        chair = ws(cast.hearing.pk, cookie)
        await enter(chair)
        after = await HearingRoom.objects.aget(hearing=cast.hearing)
        for comm in (official, chair):
            await comm.disconnect()
        return before.recording_started, after.recording_started

    before, after = run(participant_then_chair(staff_cookie(client, login_staff, cast.chair)))
    assert (before, after) == (False, True)


def test_after_the_end_joins_are_refused_and_not_recorded(cast):
    from tiepdan.media import ending

    async def first_visit() -> None:
        comm = ws(cast.hearing.pk)
        await join(comm, join_token(cast.official))
        await comm.disconnect()

    run(first_visit())
    assert ending.close_room(cast.hearing.pk, cause="overrun")
    events = RoomEvent.objects.count()
    refused = hello_refused(cast, join_token(cast.citizen))
    assert refused["code"] == "ended" and "đã kết thúc" in refused["message"]
    assert RoomEvent.objects.count() == events


def test_a_cancelled_hearing_has_no_room(cast):
    changes.cancel(cast.hearing, actor=staff(cast.hearing.commune, Role.OFFICE_OFFICER),
                    reason="Chủ tịch đi công tác đột xuất")
    assert Hearing.objects.get(pk=cast.hearing.pk).status == HearingStatus.CANCELLED
    refused = hello_refused(cast, join_token(cast.official))
    assert refused["code"] == "cancelled" and "hủy" in refused["message"]
    assert not HearingRoom.objects.exists()
