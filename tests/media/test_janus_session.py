"""The Janus API session: unsolicited events and losing Janus."""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from tiepdan.media.janus_client import JanusError, JanusSession, VideoRoom
from tiepdan.media.janus_process import JanusProcess
from tiepdan.media.rooms import room_for_hearing

from .conftest import run


def test_it_passes_unsolicited_events_to_the_handle_listener(janus):
    settings = janus.settings
    room_id, secret = room_for_hearing("events")

    async def scenario() -> dict:
        async with JanusSession(settings.api_url, settings.api_secret) as session:
            room = VideoRoom(await session.attach(), settings.room_admin_key)
            await room.create_room(room_id, secret, "events", publishers=4, record=False)
            seen: asyncio.Queue[dict] = asyncio.Queue()
            chair = await session.attach(on_event=seen.put_nowait)
            await chair.send({"request": "join", "ptype": "publisher", "room": room_id,
                              "display": "Chủ trì"})
            point = await session.attach()
            await point.send({"request": "join", "ptype": "publisher", "room": room_id,
                              "display": "Điểm cầu 1"})
            event = await asyncio.wait_for(seen.get(), 5)
            await room.destroy_room(room_id, secret)
            return event

    event = run(scenario())
    assert event["plugindata"]["data"]["joining"]["display"] == "Điểm cầu 1"


def test_it_keeps_the_session_alive(janus):
    async def scenario() -> None:
        settings = janus.settings
        async with JanusSession(settings.api_url, settings.api_secret,
                                keepalive_interval=0.05) as session:
            await asyncio.sleep(0.3)
            assert not session.lost.is_set()
            await session.keepalive()

    run(scenario())


def test_it_notices_when_janus_dies(make_janus_settings):
    janus = JanusProcess(make_janus_settings())
    janus.start()

    async def scenario() -> None:
        settings = janus.settings
        async with JanusSession(settings.api_url, settings.api_secret) as session:
            handle = await session.attach()
            os.kill(janus.pid, signal.SIGKILL)
            await asyncio.wait_for(session.lost.wait(), 5)
            with pytest.raises(JanusError) as failed:
                await handle.request({"request": "list"})
            assert failed.value.code is None

    try:
        run(scenario())
    finally:
        janus.stop()
