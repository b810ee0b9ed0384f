"""The readiness test page's WebSocket against a real Janus (no browser, so no media: see
test_readiness_e2e.py for the whole page)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tiepdan.asgi import application
from tiepdan.hearings.join_tokens import join_token
from tiepdan.media import readiness_room
from tiepdan.media.janus_client import JanusSession, VideoRoom
from tiepdan.media.models import ReadinessResult
from tiepdan.media.protocol import MAX_MESSAGE_BYTES

from .ws import WebsocketCommunicator

pytestmark = pytest.mark.usefixtures("rooms_on_test_janus", "_no_test_rooms")
ORIGIN = (b"origin", b"http://127.0.0.1")
NO_PATH = {"camera_ok": True, "camera_width": 640, "camera_height": 480, "microphone_ok": True,
           "microphone_level": 0.4, "speakers_confirmed": True, "rtt_ms": None,
           "jitter_ms": None, "loss_pct": None, "bitrate_kbps": None}


@pytest.fixture
def _no_test_rooms():
    readiness_room.forget_all()
    yield
    readiness_room.forget_all()


def ws(hearing_id: int, cookie: str | None = None) -> WebsocketCommunicator:
    headers = [ORIGIN, (b"user-agent", b"TestAgent/1.0")]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, f"/ws/kiem-tra/{hearing_id}/", headers=headers)


async def hello(comm: WebsocketCommunicator, token: str | None = None) -> dict[str, Any]:
    connected, _ = await comm.connect()
    assert connected
    await comm.send_json_to({"type": "hello", **({"token": token} if token else {})})
    return await comm.receive_json_from()


async def ask(comm: WebsocketCommunicator, message: Any, timeout: float = 5) -> dict[str, Any]:
    await comm.send_to(message if isinstance(message, str) else json.dumps(message))
    return await comm.receive_json_from(timeout)


def run(coroutine):
    return asyncio.run(coroutine)


def test_it_welcomes_a_participant_with_their_point(cast):
    async def scenario() -> dict:
        comm = ws(cast.hearing.pk)
        welcome = await hello(comm, join_token(cast.citizen))
        await comm.disconnect()
        return welcome

    welcome = run(scenario())
    assert welcome == {"type": "welcome", "name": cast.citizen.full_name,
                       "point": cast.citizen_point.name, "ice_servers": []}


def test_with_turn_the_welcome_carries_credentials_of_this_session(cast, settings):
    settings.TURN_URLS = ["turn:turn.example.vn:3478?transport=udp"]
    settings.TURN_SECRET = "a-shared-secret-of-the-deployment"

    async def scenario() -> dict:
        comm = ws(cast.hearing.pk)
        welcome = await hello(comm, join_token(cast.citizen))
        await comm.disconnect()
        return welcome

    (server,) = run(scenario())["ice_servers"]
    assert server["urls"] == ["turn:turn.example.vn:3478?transport=udp"]
    expiry, member = server["username"].split(":")
    assert member == f"h{cast.hearing.pk}.test-p{cast.citizen.pk}"
    assert int(expiry) > time.time() + 3600
    assert server["credential"] != settings.TURN_SECRET


@pytest.mark.parametrize(("token_of", "code"), [
    pytest.param(lambda c: join_token(c.official) + "x", "bad_link", id="forged"),
    pytest.param(lambda c: join_token(c.official, expires_at=timezone.now()
                                      - dt.timedelta(minutes=1)), "expired_link", id="expired"),
    pytest.param(lambda c: {"not": "a token"}, "bad_link", id="not a string"),
])
def test_it_refuses_a_bad_link_and_closes(cast, token_of, code):
    async def scenario() -> tuple:
        comm = ws(cast.hearing.pk)
        await comm.connect()
        await comm.send_json_to({"type": "hello", "token": token_of(cast)})
        return await comm.receive_json_from(), await comm.receive_output()

    error, closed = run(scenario())
    assert error["code"] == code
    assert closed == {"type": "websocket.close", "code": 4403}


def test_it_refuses_a_link_of_another_hearing(cast):
    async def scenario() -> dict:
        comm = ws(cast.hearing.pk + 1000)
        return await hello(comm, join_token(cast.official))

    assert run(scenario())["code"] == "bad_link"


def test_it_refuses_staff_of_another_commune_and_anonymous_visitors(cast, client, login_staff):
    login_staff(client, cast.outsider)
    outsider = client.cookies["sessionid"].value

    async def scenario() -> list:
        return [(await hello(ws(cast.hearing.pk, cookie)))["code"] for cookie in (outsider, None)]

    assert run(scenario()) == ["forbidden", "not_signed_in"]


def test_the_operator_tests_the_central_point(cast, login_staff):
    client = Client()
    login_staff(client, cast.operator)
    cookie = client.cookies["sessionid"].value

    async def scenario() -> tuple:
        comm = ws(cast.hearing.pk, cookie)
        welcome = await hello(comm)
        result = await ask(comm, {"type": "result", "metrics": NO_PATH})
        await comm.disconnect()
        return welcome, result

    welcome, result = run(scenario())
    assert welcome["point"] == cast.central.name
    stored = ReadinessResult.objects.get()
    assert stored.bridge_point == cast.central and stored.user == cast.operator
    assert stored.participant is None and result["passed"] is False


@pytest.mark.parametrize(("message", "code"), [
    pytest.param("{not json", "bad_json", id="not JSON"),
    pytest.param(json.dumps({"type": "publish", "sdp": "x" * MAX_MESSAGE_BYTES}), "too_large",
                 id="oversized"),
    pytest.param({"sdp": "v=0"}, "bad_message", id="no type"),
    pytest.param({"type": "grant_floor", "participant": "p1"}, "unknown_type",
                 id="a hearing-room message"),
    pytest.param({"type": "publish"}, "bad_message", id="publish without SDP"),
    pytest.param({"type": "publish", "sdp": 42}, "bad_message", id="SDP not text"),
    pytest.param({"type": "subscribe"}, "out_of_order", id="loopback before publishing"),
    pytest.param({"type": "answer", "sdp": "v=0"}, "out_of_order", id="answer before offer"),
    pytest.param({"type": "trickle", "candidate": None}, "out_of_order",
                 id="trickle before publishing"),
    pytest.param({"type": "result", "metrics": [1, 2]}, "bad_message", id="metrics not object"),
    pytest.param({"type": "hello"}, "out_of_order", id="a second hello"),
])
def test_it_rejects_malformed_or_out_of_order_messages(cast, message, code):
    async def scenario() -> tuple:
        comm = ws(cast.hearing.pk)
        await hello(comm, join_token(cast.official))
        error = await ask(comm, message)
        # The connection survives a refused message.
        again = await ask(comm, {"type": "answer", "sdp": "v=0"})
        await comm.disconnect()
        return error, again

    error, again = run(scenario())
    assert error["type"] == "error" and error["code"] == code, error
    assert error["message"]
    assert again["code"] == "out_of_order"
    assert not ReadinessResult.objects.exists()


def test_it_refuses_messages_before_hello(cast):
    async def scenario() -> dict:
        comm = ws(cast.hearing.pk)
        await comm.connect()
        return await ask(comm, {"type": "publish", "sdp": "v=0"})

    assert run(scenario())["code"] == "not_joined"


def test_bad_measurements_are_refused_and_a_result_is_stored_once(cast):
    async def scenario() -> tuple:
        comm = ws(cast.hearing.pk)
        await hello(comm, join_token(cast.official))
        refused = await ask(comm, {"type": "result",
                                   "metrics": {**NO_PATH, "rtt_ms": "1", "passed": True}})
        stored = await ask(comm, {"type": "result", "metrics": NO_PATH})
        twice = await ask(comm, {"type": "result", "metrics": NO_PATH})
        await comm.disconnect()
        return refused, stored, twice

    refused, stored, twice = run(scenario())
    assert refused["code"] == "bad_metrics" and set(refused["errors"]) == {"rtt_ms", "passed"}
    assert stored["type"] == "result" and stored["passed"] is False
    assert stored["problems"][0].startswith("Không đo được đường truyền")
    assert twice["code"] == "out_of_order"
    result = ReadinessResult.objects.get()
    assert result.participant == cast.official and result.user_agent == "TestAgent/1.0"


def test_the_test_room_lives_on_janus_only_while_someone_tests(cast, rooms_on_test_janus):
    settings = rooms_on_test_janus
    room_id = readiness_room.janus_room_id(cast.hearing.pk)

    async def exists() -> bool:
        async with JanusSession(settings.api_url, settings.api_secret) as session:
            room = VideoRoom(await session.attach(), settings.room_admin_key)
            return await room.exists(room_id)

    async def scenario() -> tuple:
        comm = ws(cast.hearing.pk)
        await hello(comm, join_token(cast.official))
        refused = await ask(comm, {"type": "publish", "sdp": "v=0\r\nnot an offer\r\n"}, 15)
        during = await exists()
        info = await room_info()
        await comm.disconnect()
        return refused, during, info, await exists()

    async def room_info() -> dict | None:
        async with JanusSession(settings.api_url, settings.api_secret) as session:
            return await VideoRoom(await session.attach(), settings.room_admin_key).room_info(
                room_id)

    refused, during, info, after = run(scenario())
    assert refused["code"] == "media_server"  # Janus refused the SDP, the page is told
    assert during and not after
    assert info["record"] is False  # a test is never recorded
    from tiepdan.media.models import HearingRoom

    assert not HearingRoom.objects.exists()  # the hearing's real room was not opened
