"""Two Janus nodes (two real Janus processes): two hearings land on different nodes, and
killing one node moves its hearing to the other — the room recreated there, recording, the
members back in it after they rejoin, the move on the timeline (the gap the manifest reports).

Signalling level: scripted clients speak the browser's protocol over the app's WebSocket
(a fixed SDP offer that Janus answers; no media flows: test_janus_nodes_e2e.py does the same
with browsers, media and the recordings' gap)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from bench.signalling import sdp_offer
from tests.factories import CommuneFactory
from tiepdan.media import janus_nodes, tasks
from tiepdan.media.janus_client import JanusSession, VideoRoom
from tiepdan.media.janus_process import JanusProcess
from tiepdan.media.models import EventKind, HearingRoom, JanusNode, RoomEvent

from .conftest import RoomCast
from .test_signalling import enter, receive_type, ws

pytestmark = pytest.mark.usefixtures("rooms_on_test_janus")
CLOSE_MEDIA_SERVER_LOST = 4503


@pytest.fixture
def second_node(make_janus_settings, tmp_path, rooms_on_test_janus) -> Iterator[JanusProcess]:
    """A second Janus, registered as node "node-b" with its secrets in a file; it records
    into the same folder as the first (the shared recordings folder of a deployment)."""
    process = JanusProcess(
        make_janus_settings(rtp_port_range="40200-40299", rec_dir=rooms_on_test_janus.rec_dir)
    )
    process.start()
    secrets = tmp_path / "node-b.json"
    secrets.write_text(
        json.dumps(
            {
                "api_secret": process.settings.api_secret,
                "admin_secret": process.settings.admin_secret,
                "room_admin_key": process.settings.room_admin_key,
            }
        )
    )
    JanusNode.objects.create(
        name="node-b",
        api_url=process.settings.api_url,
        admin_url=process.settings.admin_url,
        secrets_ref=f"file:{secrets}",
        capacity_rooms=20,
    )
    yield process
    process.stop()


def cookie(login_staff, user) -> str:
    client = Client()
    login_staff(client, user)
    return client.cookies["sessionid"].value


async def until_closed(comm: Any, timeout: float = 15) -> int:
    """Skip what the page is sent until the server closes it; its close code."""
    async with asyncio.timeout(timeout):
        while True:
            output = await comm.receive_output(timeout)
            if output["type"] == "websocket.close":
                await comm.send_input({"type": "websocket.disconnect", "code": output["code"]})
                return output["code"]


async def publish(comm: Any) -> None:
    await comm.send_json_to({"type": "publish", "sdp": sdp_offer()})
    answer = await receive_type(comm, "answer", timeout=30)
    assert "v=0" in answer["sdp"]


async def node_of(hearing_id: int) -> str:
    room = await HearingRoom.objects.select_related("node").aget(hearing_id=hearing_id)
    return room.node.name


async def room_exists(janus: JanusProcess, room_id: int) -> bool:
    settings = janus.settings
    async with JanusSession(settings.api_url, settings.api_secret) as session:
        return await VideoRoom(await session.attach(), settings.room_admin_key).exists(room_id)


def test_two_hearings_land_on_two_nodes_and_a_dead_nodes_hearing_moves(
    cast, janus, second_node, login_staff
):
    other = RoomCast(CommuneFactory(ward_code=11140, name="Xã Lạc Phượng"))
    # The periodic job has seen both nodes up.
    assert tasks.check_janus_nodes.call_local() == {"embedded": True, "node-b": True}
    chair1 = cookie(login_staff, cast.chair)
    chair2, operator2 = cookie(login_staff, other.chair), cookie(login_staff, other.operator)
    first, second = cast.hearing.pk, other.hearing.pk

    async def scenario() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        a = ws(first, chair1)
        await enter(a)
        await publish(a)
        b_chair, b_operator = ws(second, chair2), ws(second, operator2)
        await enter(b_chair)
        await enter(b_operator)
        await publish(b_chair)
        seen["placed"] = {h: await node_of(h) for h in (first, second)}
        room2 = await HearingRoom.objects.aget(hearing_id=second)
        seen["on_b_before"] = await room_exists(second_node, room2.janus_room_id)

        second_node.process.kill()  # node-b dies mid-hearing
        second_node.process.wait()
        seen["closed"] = [await until_closed(c) for c in (b_chair, b_operator)]

        # The pages rejoin (room.js does on 4503): the room is recreated on the node left.
        b_chair, b_operator = ws(second, chair2), ws(second, operator2)
        await enter(b_chair)
        await enter(b_operator)
        await publish(b_chair)
        seen["operator_sees"] = await receive_type(b_operator, "participants")
        while not any(
            p["feed"] for p in seen["operator_sees"]["participants"] if p["role"] == "chair"
        ):
            seen["operator_sees"] = await receive_type(b_operator, "participants")
        seen["moved_to"] = await node_of(second)
        seen["on_embedded_after"] = await room_exists(janus, room2.janus_room_id)
        seen["recording_after"] = await _recording(janus, room2.janus_room_id)
        # The first hearing never noticed: its chair still talks to its node.
        await a.send_json_to({"type": "raise_hand"})
        seen["first_still_up"] = (await a.receive_output(5))["type"]
        for comm in (a, b_chair, b_operator):
            await comm.disconnect()
        return seen

    seen = asyncio.run(scenario())
    assert seen["placed"] == {first: "embedded", second: "node-b"}
    assert seen["on_b_before"]
    assert seen["closed"] == [CLOSE_MEDIA_SERVER_LOST, CLOSE_MEDIA_SERVER_LOST]
    assert seen["moved_to"] == "embedded"
    assert seen["on_embedded_after"] and seen["recording_after"]
    assert seen["first_still_up"] == "websocket.send"
    moved = RoomEvent.objects.get(room__hearing_id=second, kind=EventKind.JANUS_RESTART)
    assert moved.detail["previous_node"] == "node-b" and moved.detail["node"] == "embedded"
    assert not RoomEvent.objects.filter(
        room__hearing_id=first, kind=EventKind.JANUS_RESTART
    ).exists()
    dead = JanusNode.objects.get(name="node-b")
    assert not dead.healthy and dead.last_error
    # The next check agrees; a new hearing now goes to the node left.
    assert janus_nodes.check_all() == {"embedded": True, "node-b": False}


async def _recording(janus: JanusProcess, room_id: int) -> bool:
    settings = janus.settings
    async with JanusSession(settings.api_url, settings.api_secret) as session:
        info = await VideoRoom(await session.attach(), settings.room_admin_key).room_info(room_id)
    return bool(info and info.get("record"))


def test_a_room_on_another_node_is_destroyed_there_when_the_hearing_ends(cast, second_node):
    from tiepdan.media import ending, placement, room_service

    node_b = JanusNode.objects.get(name="node-b")
    where = janus_nodes.endpoint(node_b)

    async def scenario() -> tuple[bool, bool, str]:
        async with JanusSession(where.api_url, where.api_secret) as session:
            control = VideoRoom(await session.attach(), where.room_admin_key)
            room = await room_service.open_room(control, cast.hearing.pk, "Phiên tiếp", node=node_b)
            before = await control.exists(room.janus_room_id)
            placed = (await placement.endpoint_of_room(cast.hearing.pk)).name
            await ending.shut_live_room(cast.hearing.pk, room.janus_room_id, room.secret)
            return before, await control.exists(room.janus_room_id), placed

    before, after, placed = asyncio.run(scenario())
    assert (before, after, placed) == (True, False, "node-b")
