"""The app's videoroom requests against a real Janus."""

from __future__ import annotations

import pytest

from tiepdan.media.janus_client import JanusError, JanusSession, VideoRoom
from tiepdan.media.rooms import room_for_hearing

from .conftest import run


@pytest.fixture
def hearing_room(janus, videoroom, request):
    """A recording room for this test, destroyed afterwards."""
    allocation = room_for_hearing(request.node.name)

    async def create(room: VideoRoom) -> None:
        await room.create_room(allocation.room_id, allocation.secret, "Phiên tiếp dân",
                               publishers=6, rec_dir=str(janus.settings.rec_dir))

    run(videoroom(create))
    yield allocation

    async def destroy(room: VideoRoom) -> None:
        if await room.exists(allocation.room_id):
            await room.destroy_room(allocation.room_id, allocation.secret)

    run(videoroom(destroy))


def test_it_creates_a_private_room_that_records_and_locks_recording(janus, videoroom,
                                                                     hearing_room):
    info = run(videoroom(lambda room: room.room_info(hearing_room.room_id)))
    assert info["record"] is True and info["lock_record"] is True
    assert info["rec_dir"] == str(janus.settings.rec_dir)
    assert info["is_private"] is True and info["max_publishers"] == 6
    assert run(videoroom(lambda room: room.exists(hearing_room.room_id)))


def test_it_hides_private_rooms_from_a_list_without_the_admin_key(janus, hearing_room):
    async def list_without_key() -> list:
        settings = janus.settings
        async with JanusSession(settings.api_url, settings.api_secret) as session:
            return await VideoRoom(await session.attach()).list_rooms()

    assert hearing_room.room_id not in [r["room"] for r in run(list_without_key())]


def test_it_lists_no_participants_in_a_new_room(videoroom, hearing_room):
    assert run(videoroom(lambda room: room.list_participants(hearing_room.room_id))) == []


def test_it_sees_a_participant_joining_through_an_asynchronous_request(janus, hearing_room):
    async def join_and_list() -> tuple:
        settings = janus.settings
        async with JanusSession(settings.api_url, settings.api_secret) as session:
            handle = await session.attach()
            joined = await handle.send({"request": "join", "ptype": "publisher",
                                        "room": hearing_room.room_id, "display": "Xã An Lão"})
            room = VideoRoom(await session.attach(), settings.room_admin_key)
            return joined.data, await room.list_participants(hearing_room.room_id)

    joined, participants = run(join_and_list())
    assert joined["videoroom"] == "joined"
    assert participants == [{"id": joined["id"], "display": "Xã An Lão", "publisher": False}]


@pytest.mark.parametrize("action", ["moderate", "kick", "destroy_room"])
def test_it_refuses_moderation_without_the_room_secret(videoroom, hearing_room, action):
    calls = {
        "moderate": lambda room: room.moderate(hearing_room.room_id, "wrong", 1, "0", True),
        "kick": lambda room: room.kick(hearing_room.room_id, "wrong", 1),
        "destroy_room": lambda room: room.destroy_room(hearing_room.room_id, "wrong"),
    }
    with pytest.raises(JanusError) as refused:
        run(videoroom(calls[action]))
    assert refused.value.code == JanusError.ROOM_UNAUTHORIZED
    assert run(videoroom(lambda room: room.exists(hearing_room.room_id)))


def test_it_accepts_the_secret_for_moderation(videoroom, hearing_room):
    # No such publisher yet: past the secret check, Janus looks for the participant.
    with pytest.raises(JanusError) as no_feed:
        run(videoroom(lambda room: room.moderate(hearing_room.room_id, hearing_room.secret,
                                                 1, "0", True)))
    assert no_feed.value.code == JanusError.NO_SUCH_FEED


def test_it_destroys_a_room_with_its_secret(videoroom, hearing_room):
    run(videoroom(lambda room: room.destroy_room(hearing_room.room_id, hearing_room.secret)))
    assert not run(videoroom(lambda room: room.exists(hearing_room.room_id)))


def test_it_refuses_to_create_a_room_without_the_admin_key(janus):
    async def create_without_key() -> None:
        settings = janus.settings
        async with JanusSession(settings.api_url, settings.api_secret) as session:
            await VideoRoom(await session.attach()).create_room(7, "s", "x", publishers=2)

    with pytest.raises(JanusError, match="admin_key"):
        run(create_without_key())


def test_it_refuses_a_session_without_the_api_secret(janus):
    async def connect() -> None:
        async with JanusSession(janus.settings.api_url, "not-the-secret"):
            pass

    with pytest.raises(JanusError) as refused:
        run(connect())
    assert refused.value.code == JanusError.UNAUTHORIZED


def test_it_reports_an_unreachable_janus(make_janus_settings):
    settings = make_janus_settings()  # nothing listens there

    async def connect() -> None:
        async with JanusSession(settings.api_url, settings.api_secret, timeout=2):
            pass

    with pytest.raises(JanusError, match="unreachable") as failed:
        run(connect())
    assert failed.value.code is None
