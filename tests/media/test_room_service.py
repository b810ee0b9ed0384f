"""Opening a hearing's room on Janus, restoring it after a Janus restart, the sealed secret and
the timeline's offsets."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from django.utils import timezone

from tiepdan.media import crypto, live, room_service, room_state
from tiepdan.media.janus_client import JanusSession, VideoRoom
from tiepdan.media.models import EventKind, HearingRoom, RoomEvent, RoomSeat

pytestmark = pytest.mark.usefixtures("rooms_on_test_janus")


async def with_control(settings, use):
    async with JanusSession(settings.api_url, settings.api_secret) as session:
        return await use(VideoRoom(await session.attach(), settings.room_admin_key))


def test_it_opens_a_room_that_records_once_the_chair_opens_the_session(cast,
                                                                        rooms_on_test_janus):
    async def scenario(control: VideoRoom) -> tuple[dict, dict, dict]:
        room = await room_service.open_room(control, cast.hearing.pk, "Phiên tiếp")
        before = await control.room_info(room.janus_room_id)
        await room_service.start_recording(control, room)
        after = await control.room_info(room.janus_room_id)
        # Recording cannot be stopped without the secret (lock_record).
        try:
            await control.handle.request({"request": "enable_recording",
                                          "room": room.janus_room_id, "record": False})
        except Exception as exc:  # noqa: BLE001 - Janus refuses: that is the point
            refused = {"error": str(exc)}
        else:
            refused = {}
        return before, after, refused

    before, after, refused = asyncio.run(with_control(rooms_on_test_janus, scenario))
    stored = HearingRoom.objects.get(hearing=cast.hearing)
    secret = crypto.unseal(stored.sealed_secret)
    assert before["record"] is False  # the final check before the session is not recorded
    assert after["record"] is True and after["lock_record"] is True and after["is_private"]
    assert refused, "Janus stopped the recording without the room secret"
    assert stored.recording_started
    assert secret and secret not in stored.sealed_secret and len(secret) >= 24


def test_it_recreates_the_room_after_janus_lost_it(cast, rooms_on_test_janus):
    async def scenario(control: VideoRoom) -> bool:
        room = await room_service.open_room(control, cast.hearing.pk, "Phiên tiếp")
        async with room_state.store().update(cast.hearing.pk) as current:
            current.members["p1"] = live.Member(key="p1", role="participant", name="A",
                                                channel_name="c", bridge_point_id=None,
                                                bridge_point_name="")
        await control.destroy_room(room.janus_room_id, room.secret)  # as after a crash
        again = await room_service.open_room(control, cast.hearing.pk, "Phiên tiếp")
        return (again.janus_room_id == room.janus_room_id and "p1" in again.members
                and await control.exists(room.janus_room_id))

    assert asyncio.run(with_control(rooms_on_test_janus, scenario))
    assert RoomEvent.objects.filter(kind=EventKind.JANUS_RESTART).count() == 1
    assert HearingRoom.objects.count() == 1


def test_it_gets_a_new_secret_when_the_old_one_cannot_be_read(cast, settings):
    room, secret, created = room_service.room_record(cast.hearing.pk)
    settings.SECRET_KEY = "another-key-" + "x" * 40
    again, new_secret, recreated = room_service.room_record(cast.hearing.pk)
    assert created and recreated and again.pk == room.pk and new_secret != secret


def test_it_stamps_events_with_their_offset_into_the_recording(cast):
    room, _, _ = room_service.room_record(cast.hearing.pk)
    HearingRoom.objects.filter(pk=room.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=90))
    event = room_service.record_event(room.pk, EventKind.GRANT, actor="Chủ trì",
                                      bridge_point_id=cast.department.pk,
                                      detail={"seconds": 120})
    assert 90 <= event.offset_seconds < 95
    assert event.bridge_point == cast.department


def test_it_allows_one_device_per_seat(cast):
    room, _, _ = room_service.room_record(cast.hearing.pk)
    assert room_service.claim_seat(room.pk, "p1", "first")
    assert not room_service.claim_seat(room.pk, "p1", "second")
    room_service.release_seat(room.pk, "p1", "second")  # not its seat: nothing happens
    assert not room_service.claim_seat(room.pk, "p1", "third")
    room_service.release_seat(room.pk, "p1", "first")
    assert room_service.claim_seat(room.pk, "p1", "third")


def test_it_frees_a_seat_only_when_the_process_holding_it_is_dead(cast, monkeypatch):
    """Several web processes serve one hearing: a seat held by another process that is alive
    (its heartbeat fresh) is that device's; one left by a process that died is taken over."""
    monkeypatch.setattr(room_state, "PROCESS_TTL_SECONDS", 0.5)
    room, _, _ = room_service.room_record(cast.hearing.pk)
    assert room_service.claim_seat(room.pk, "p1", "old")
    RoomSeat.objects.update(process_id="another-web-process")
    assert room_service.seat_holder(room.pk, "p1") == "another-web-process"
    assert not room_service.claim_seat(room.pk, "p1", "new")  # nothing said it was dead

    async def scenario() -> tuple:
        store = room_state.store()

        async def beat() -> None:
            while True:
                await store.heartbeat("another-web-process")
                await asyncio.sleep(0.1)

        beating = asyncio.create_task(beat())
        await asyncio.sleep(0)
        kept = await room_service.take_seat(room.pk, "p1", "new")  # alive: stays its own
        beating.cancel()  # the process is killed: no more heartbeats
        started = time.monotonic()
        taken = await room_service.take_seat(room.pk, "p1", "new")  # waits for them to lapse
        return kept, taken, time.monotonic() - started

    kept, taken, waited = asyncio.run(scenario())
    assert (kept, taken) == (False, True) and waited < 1.5

    assert list(RoomSeat.objects.values_list("channel_name", "process_id")) == [
        ("new", room_service.PROCESS_ID)]
