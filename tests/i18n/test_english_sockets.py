"""WebSocket messages in the member's language: the hearing room and the readiness test answer
each member in the language of their pages (the switcher's cookie, else Accept-Language, else
Vietnamese), also for messages sent to the whole room; what is stored stays Vietnamese."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from django.test import Client

from tests.media.ws import WebsocketCommunicator
from tiepdan.asgi import application
from tiepdan.core.socket_locale import scope_language
from tiepdan.hearings.join_tokens import join_token
from tiepdan.media import readiness_room
from tiepdan.media.models import ReadinessResult

pytestmark = pytest.mark.usefixtures("rooms_on_test_janus")
ORIGIN = (b"origin", b"http://127.0.0.1")
ENGLISH_COOKIE = (b"cookie", b"django_language=en")
NO_PATH = {
    "camera_ok": True,
    "camera_width": 640,
    "camera_height": 480,
    "microphone_ok": True,
    "microphone_level": 0.4,
    "speakers_confirmed": True,
    "rtt_ms": None,
    "jitter_ms": None,
    "loss_pct": None,
    "bitrate_kbps": None,
}


def run(coroutine):
    return asyncio.run(coroutine)


def socket(path: str, *headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=[ORIGIN, *headers])


def room(cast, *headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return socket(f"/ws/phong-tiep/{cast.hearing.pk}/", *headers)


def readiness(cast, *headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return socket(f"/ws/kiem-tra/{cast.hearing.pk}/", *headers)


async def receive_type(comm: WebsocketCommunicator, kind: str, timeout: float = 5) -> dict:
    async with asyncio.timeout(timeout):
        while True:
            message = await comm.receive_json_from(timeout)
            if message["type"] == kind:
                return message


async def ask(comm: WebsocketCommunicator, message: Any) -> dict[str, Any]:
    await comm.send_to(json.dumps(message))
    return await comm.receive_json_from()


@pytest.mark.parametrize(
    ("headers", "language"),
    [
        pytest.param([], "vi", id="nothing chosen: Vietnamese"),
        pytest.param([(b"cookie", b"django_language=en")], "en", id="the switcher's cookie"),
        pytest.param([(b"accept-language", b"en-GB,en;q=0.8")], "en", id="the browser's language"),
        pytest.param(
            [(b"cookie", b"django_language=en"), (b"accept-language", b"vi")],
            "en",
            id="the cookie wins over the browser",
        ),
        pytest.param([(b"cookie", b"django_language=fr")], "vi", id="an unknown language"),
        pytest.param(
            [(b"cookie", b'bad"cookie; django_language=en')], "en", id="a cookie header with junk"
        ),
    ],
)
def test_it_takes_the_language_of_the_pages(headers, language):
    assert scope_language({"type": "websocket", "headers": headers}) == language


@pytest.mark.parametrize("open_socket", [room, readiness], ids=["room", "readiness"])
@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        pytest.param([], "Chưa chào (hello) với máy chủ.", id="Vietnamese"),
        pytest.param([ENGLISH_COOKIE], "You have not said hello to the server yet.", id="cookie"),
        pytest.param(
            [(b"accept-language", b"en-US,en;q=0.9")],
            "You have not said hello to the server yet.",
            id="accept-language",
        ),
    ],
)
def test_a_refusal_is_in_the_members_language(cast, open_socket, headers, expected):
    async def scenario() -> dict:
        comm = open_socket(cast, *headers)
        await comm.connect()
        error = await ask(comm, {"type": "publish", "sdp": "v=0"})
        await comm.disconnect()
        return error

    error = run(scenario())
    assert error["code"] == "not_joined"
    assert error["message"] == expected


def test_a_bad_link_is_refused_in_english(cast):
    async def scenario() -> dict:
        comm = room(cast, ENGLISH_COOKIE)
        await comm.connect()
        await comm.send_json_to({"type": "hello", "token": join_token(cast.official) + "x"})
        return await comm.receive_json_from()

    error = run(scenario())
    assert error == {"type": "error", "code": "bad_link", "message": "The room link is not valid."}


def test_the_end_of_the_hearing_reaches_each_member_in_their_language(
    cast, client: Client, login_staff, monkeypatch
):
    from tiepdan.media import ending, tasks

    monkeypatch.setattr(ending, "process_delay", lambda: 0)
    monkeypatch.setattr(tasks.process_recordings, "schedule", lambda args, delay: None)
    login_staff(client, cast.chair)
    chair_cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())

    async def scenario() -> tuple:
        chair = room(cast, chair_cookie)
        await chair.connect()
        await chair.send_json_to({"type": "hello"})
        await receive_type(chair, "welcome")
        for step in ("rules_accepted", "device_check_ok"):  # the chair enters the room
            await chair.send_json_to({"type": step})
            await receive_type(chair, "stage")
        official = room(cast, ENGLISH_COOKIE)
        await official.connect()
        await official.send_json_to({"type": "hello", "token": join_token(cast.official)})
        await receive_type(official, "welcome")
        citizen = room(cast)
        await citizen.connect()
        await citizen.send_json_to({"type": "hello", "token": join_token(cast.citizen)})
        await receive_type(citizen, "welcome")
        await official.send_json_to({"type": "end_hearing"})  # not the chair's: refused
        refused = await receive_type(official, "error")
        await chair.send_json_to({"type": "end_hearing"})
        return (
            refused,
            await receive_type(official, "ended"),
            await receive_type(citizen, "ended"),
        )

    refused, english, vietnamese = run(scenario())
    assert refused["message"] == "You are not allowed to do this."
    assert english["message"] == "The citizen reception has ended. Thank you."
    assert vietnamese["message"] == "Buổi tiếp công dân đã kết thúc. Cảm ơn quý vị."


@pytest.fixture
def _no_test_rooms():
    readiness_room.forget_all()
    yield
    readiness_room.forget_all()


@pytest.mark.usefixtures("_no_test_rooms")
def test_a_readiness_result_is_explained_in_english_and_stored_in_vietnamese(
    cast, client: Client, login_staff
):
    async def scenario() -> tuple:
        comm = readiness(cast, ENGLISH_COOKIE, (b"user-agent", b"TestAgent/1.0"))
        await comm.connect()
        await comm.send_json_to({"type": "hello", "token": join_token(cast.official)})
        await receive_type(comm, "welcome")
        refused = await ask(comm, {"type": "result", "metrics": {**NO_PATH, "rtt_ms": "1"}})
        result = await ask(comm, {"type": "result", "metrics": NO_PATH})
        await comm.disconnect()
        return refused, result

    refused, result = run(scenario())
    assert refused["message"] == "Invalid measurements."
    assert refused["errors"]["rtt_ms"][0]["message"] == "Missing or of the wrong type."
    assert result["passed"] is False
    assert result["problems"][0].startswith("The connection to the media server could not"), result[
        "problems"
    ]
    stored = ReadinessResult.objects.get()
    assert stored.problems[0].startswith("Không đo được đường truyền")
    # The chair's readiness table shows the record in the reader's language too.
    from django.urls import reverse

    from .test_english_locale import switch_to, visible_text

    login_staff(client, cast.chair)
    page = reverse("hearings:detail", args=[cast.hearing.commune.ward_code, cast.hearing.pk])
    assert "Không đo được đường truyền" in visible_text(client.get(page))
    switch_to(client, "en", page)
    text = visible_text(client.get(page))
    assert "The connection to the media server could not be measured" in text
    assert "Không đo được" not in text
