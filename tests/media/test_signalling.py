"""The hearing-room WebSocket against a real Janus (no browser: no media here, see
test_room_e2e.py for that)."""

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
from tiepdan.media.models import EventKind, HearingRoom, RoomEvent, RoomSeat
from tiepdan.media.protocol import MAX_MESSAGE_BYTES

from .ws import WebsocketCommunicator

pytestmark = pytest.mark.usefixtures("rooms_on_test_janus")
ORIGIN = (b"origin", b"http://127.0.0.1")


def ws(hearing_id: int, cookie: str | None = None) -> WebsocketCommunicator:
    headers = [ORIGIN] + ([(b"cookie", f"sessionid={cookie}".encode())] if cookie else [])
    return WebsocketCommunicator(application, f"/ws/phong-tiep/{hearing_id}/", headers=headers)


async def receive_type(comm: WebsocketCommunicator, kind: str, timeout: float = 5) -> dict:
    """The next message of type ``kind`` (others are skipped)."""
    async with asyncio.timeout(timeout):
        while True:
            message = await comm.receive_json_from(timeout)
            if message["type"] == kind:
                return message


async def join(comm: WebsocketCommunicator, token: str | None = None) -> dict[str, Any]:
    connected, _ = await comm.connect()
    assert connected
    await comm.send_json_to({"type": "hello", **({"token": token} if token else {})})
    return await receive_type(comm, "welcome")


async def enter(comm: WebsocketCommunicator, token: str | None = None) -> dict[str, Any]:
    welcome = await join(comm, token)
    await comm.send_json_to({"type": "rules_accepted"})
    await receive_type(comm, "stage")
    await comm.send_json_to({"type": "device_check_ok"})
    await receive_type(comm, "stage")
    return welcome


def staff_cookie(client: Client, login_staff, user) -> str:
    login_staff(client, user)
    return client.cookies["sessionid"].value


def run(coroutine):
    return asyncio.run(coroutine)


def test_it_welcomes_a_valid_join_link_and_opens_a_recording_room(cast):
    async def scenario() -> dict:
        comm = ws(cast.hearing.pk)
        welcome = await join(comm, join_token(cast.official))
        await comm.disconnect()
        return welcome

    welcome = run(scenario())
    assert welcome["role"] == "participant" and welcome["point"] == cast.department.name
    assert welcome["stage"] == "rules"
    room = HearingRoom.objects.get(hearing=cast.hearing)
    assert room.sealed_secret and "secret" not in json.dumps(welcome)
    kinds = list(RoomEvent.objects.filter(room=room).values_list("kind", flat=True))
    assert kinds == [EventKind.JOIN, EventKind.LEAVE]
    assert not RoomSeat.objects.exists()


@pytest.mark.parametrize("token_of", [
    pytest.param(lambda c: join_token(c.official) + "x", id="forged"),
    pytest.param(lambda c: join_token(c.official, expires_at=timezone.now()
                                      - dt.timedelta(minutes=1)), id="expired"),
    pytest.param(lambda c: "not-a-token", id="garbage"),
])
def test_it_refuses_a_bad_join_link(cast, token_of):
    async def scenario() -> tuple:
        comm = ws(cast.hearing.pk)
        await comm.connect()
        await comm.send_json_to({"type": "hello", "token": token_of(cast)})
        error = await comm.receive_json_from()
        closed = await comm.receive_output()
        return error, closed

    error, closed = run(scenario())
    assert error["type"] == "error" and error["code"] in {"bad_link", "expired_link"}
    assert closed["type"] == "websocket.close"
    assert not HearingRoom.objects.exists()


def test_it_refuses_a_second_device_with_the_same_link(cast):
    async def scenario() -> tuple:
        first, second = ws(cast.hearing.pk), ws(cast.hearing.pk)
        await join(first, join_token(cast.official))
        await second.connect()
        await second.send_json_to({"type": "hello", "token": join_token(cast.official)})
        refused = await receive_type(second, "error")
        # The first device is undisturbed and can go on.
        await first.send_json_to({"type": "rules_accepted"})
        still = await receive_type(first, "stage")
        await first.disconnect()
        # Once the first device has left, the link works again.
        third = ws(cast.hearing.pk)
        again = await join(third, join_token(cast.official))
        await third.disconnect()
        return refused, still, again

    refused, still, again = run(scenario())
    assert refused["code"] == "already_connected"
    assert still["stage"] == "device_check"
    assert again["role"] == "participant"


def test_it_gives_staff_their_role(cast, client, login_staff):
    chair_cookie = staff_cookie(client, login_staff, cast.chair)
    operator_cookie = staff_cookie(Client(), login_staff, cast.operator)

    async def scenario() -> tuple:
        chair, operator = ws(cast.hearing.pk, chair_cookie), ws(cast.hearing.pk, operator_cookie)
        roles = (await join(chair))["role"], (await join(operator))["role"]
        await chair.disconnect()
        await operator.disconnect()
        return roles

    assert run(scenario()) == ("chair", "operator")


def test_it_refuses_staff_of_another_commune_and_anonymous_visitors(cast, client, login_staff):
    outsider = staff_cookie(client, login_staff, cast.outsider)

    async def scenario() -> list:
        codes = []
        for cookie in (outsider, None):
            comm = ws(cast.hearing.pk, cookie)
            await comm.connect()
            await comm.send_json_to({"type": "hello"})
            codes.append((await comm.receive_json_from())["code"])
        return codes

    assert run(scenario()) == ["forbidden", "not_signed_in"]


@pytest.mark.parametrize("limit", ["idle", "absolute", "devices"])
def test_a_staff_session_past_its_limits_cannot_join_the_room(cast, client, login_staff,
                                                              settings, limit):
    """The room's socket keeps the staff pages' session limits (30 min idle, 12 h since
    sign-in, TOTP devices changed): a session the pages would end is refused here too."""
    from django.contrib.sessions.backends.db import SessionStore

    from tiepdan.core import session_limits

    cookie = staff_cookie(client, login_staff, cast.chair)
    session = SessionStore(session_key=cookie)
    if limit == "idle":
        session[session_limits.LAST_SEEN_AT] -= settings.STAFF_SESSION_IDLE_SECONDS + 5
    elif limit == "absolute":
        session[session_limits.SIGNED_IN_AT] -= settings.STAFF_SESSION_ABSOLUTE_SECONDS + 5
    else:
        session[session_limits.DEVICES_DIGEST] = "a device since removed"
    session.save()

    async def scenario() -> str:
        comm = ws(cast.hearing.pk, cookie)
        await comm.connect()
        await comm.send_json_to({"type": "hello"})
        code = (await comm.receive_json_from())["code"]
        await comm.disconnect()
        return code

    assert run(scenario()) == "not_signed_in"


@pytest.mark.parametrize(("message", "code"), [
    pytest.param({"type": "unmute"}, "forbidden", id="own-unmute"),
    pytest.param({"type": "grant_floor", "participant": "p1"}, "forbidden", id="grant"),
    pytest.param({"type": "mute_all"}, "forbidden", id="mute-all"),
    pytest.param({"type": "admit", "participant": "p1"}, "forbidden", id="admit-self"),
    pytest.param({"type": "subscribe", "feed": 1}, "out_of_order", id="watch-from-lobby"),
    pytest.param({"type": "dance"}, "unknown_type", id="unknown"),
    pytest.param({"no": "type"}, "bad_message", id="no-type"),
    pytest.param({"type": "rules_accepted"}, "out_of_order", id="rules-twice"),
])
def test_it_refuses_what_a_participant_may_not_send(cast, message, code):
    async def scenario() -> tuple:
        comm = ws(cast.hearing.pk)
        await enter(comm, join_token(cast.official))  # now waiting in the lobby
        await comm.send_json_to(message)
        error = await receive_type(comm, "error")
        await comm.send_json_to({"type": "raise_hand"})  # still connected, still in order
        after = await receive_type(comm, "error")
        await comm.disconnect()
        return error, after

    error, after = run(scenario())
    assert error["code"] == code
    assert after["code"] == "out_of_order"  # raising a hand waits for admission


def test_it_logs_a_forbidden_request_in_the_timeline(cast):
    async def scenario() -> None:
        comm = ws(cast.hearing.pk)
        await enter(comm, join_token(cast.official))
        await comm.send_json_to({"type": "mute_all"})
        await receive_type(comm, "error")
        await comm.disconnect()

    run(scenario())
    refused = RoomEvent.objects.get(kind=EventKind.REFUSED)
    assert refused.bridge_point == cast.department and "mute_all" in refused.detail["message"]


@pytest.mark.parametrize(("text", "code"), [
    pytest.param("x" * (MAX_MESSAGE_BYTES + 1), "too_large", id="oversized"),
    pytest.param("{not json", "bad_json", id="malformed"),
    pytest.param('{"type": "publish", "sdp": "v=0"}', "not_joined", id="before-hello"),
])
def test_it_rejects_bad_frames_without_closing(cast, text, code):
    async def scenario() -> tuple:
        comm = ws(cast.hearing.pk)
        await comm.connect()
        await comm.send_to(text_data=text)
        error = await comm.receive_json_from()
        await comm.send_json_to({"type": "hello", "token": join_token(cast.official)})
        welcome = await receive_type(comm, "welcome")
        await comm.disconnect()
        return error, welcome

    error, welcome = run(scenario())
    assert error["code"] == code
    assert welcome["role"] == "participant"


def test_it_keeps_bridge_points_in_the_lobby_until_the_operator_admits_them(
        cast, client, login_staff):
    cookie = staff_cookie(client, login_staff, cast.operator)

    async def scenario() -> tuple:
        operator, citizen = ws(cast.hearing.pk, cookie), ws(cast.hearing.pk)
        await enter(operator)
        key = (await enter(citizen, join_token(cast.citizen)))["key"]
        await operator.send_json_to({"type": "admit", "participant": key})
        refused = await receive_type(operator, "error")
        await operator.send_json_to({"type": "identity_checked", "participant": key})
        await operator.send_json_to({"type": "admit", "participant": key})
        admitted = await receive_type(citizen, "admitted")
        await operator.disconnect()
        await citizen.disconnect()
        return refused, admitted

    refused, admitted = run(scenario())
    assert refused["code"] == "identity_not_checked"
    assert admitted == {"type": "admitted"}
    kinds = list(RoomEvent.objects.values_list("kind", flat=True))
    assert EventKind.IDENTITY_CHECKED in kinds and EventKind.ADMIT in kinds
    admit = RoomEvent.objects.get(kind=EventKind.ADMIT)
    assert admit.bridge_point == cast.citizen_point and admit.offset_seconds >= 0


def test_it_tells_the_chair_a_grant_needs_a_publishing_point(cast, client, login_staff):
    cookie = staff_cookie(client, login_staff, cast.chair)

    async def scenario() -> dict:
        chair = ws(cast.hearing.pk, cookie)
        await enter(chair)
        await chair.send_json_to({"type": "grant_floor", "participant": "p999"})
        error = await receive_type(chair, "error")
        await chair.disconnect()
        return error

    assert run(scenario())["code"] == "not_publishing"


def test_it_alerts_chair_and_operator_when_a_camera_stops(cast, client, login_staff):
    from tiepdan.media import live, room_state

    chair_cookie = staff_cookie(client, login_staff, cast.chair)
    operator_cookie = staff_cookie(Client(), login_staff, cast.operator)

    async def scenario() -> tuple:
        chair, operator = ws(cast.hearing.pk, chair_cookie), ws(cast.hearing.pk, operator_cookie)
        key = (await enter(chair))["key"]
        await enter(operator)
        async with room_state.store().update(cast.hearing.pk) as room:
            room.members[key].feed_id = 1234  # as if publishing
        await chair.send_json_to({"type": "stats", "stats": {"fps_out": 20}})
        await receive_type(operator, "stats")
        (member,) = [m for m in live.local_members(cast.hearing.pk) if m.key == key]
        member.last_video_at -= 11  # ... then no frame for 11 s
        await chair.send_json_to({"type": "stats", "stats": {"fps_out": 0}})
        alert = await receive_type(operator, "alert")
        stats = await receive_type(operator, "stats")
        await chair.disconnect()
        await operator.disconnect()
        return key, alert, stats

    key, alert, stats = run(scenario())
    assert alert["participant"] == key and alert["reason"] == "video_stopped"
    assert stats["participant"] == key
    assert RoomEvent.objects.filter(kind=EventKind.ALERT).count() == 1


def test_a_dropped_member_keeps_its_raised_hand_and_floor_for_the_grace_period(
        cast, client, login_staff, monkeypatch):
    """The browser rejoins by itself after a network failure (room.js): its place in the
    queue and the floor are still there; one that does not come back is dropped."""
    from tiepdan.media import floor, room_state, rules

    chair_cookie = staff_cookie(client, login_staff, cast.chair)
    monkeypatch.setattr(rules, "RECONNECT_GRACE_SECONDS", 0.5)

    async def floor_state(key: str) -> tuple:
        room = await room_state.store().get(cast.hearing.pk)
        member = room.members.get(key)
        return list(room.queue), room.floor, member.hand_raised if member else None

    async def scenario() -> tuple:
        chair = ws(cast.hearing.pk, chair_cookie)
        await enter(chair)
        official = ws(cast.hearing.pk)
        key = (await join(official, join_token(cast.official)))["key"]
        # As if admitted, with a raised hand and then granted the floor (a grant needs a
        # publishing browser: test_room_e2e.py covers that part with real media).
        async with room_state.store().update(cast.hearing.pk) as room:
            floor.raise_hand(room, room.members[key])
            room.floor = key
        await official.disconnect()
        await asyncio.sleep(0.1)
        kept = await floor_state(key)
        back = ws(cast.hearing.pk)
        await join(back, join_token(cast.official))
        await asyncio.sleep(0.8)  # past the grace period, but it came back in time
        after_return = await floor_state(key)
        await back.disconnect()
        await asyncio.sleep(1.0)  # gone for good this time (the keeper looks every 0.25 s)
        dropped = await floor_state(key)
        await chair.disconnect()
        return key, kept, after_return, dropped

    key, kept, after_return, dropped = run(scenario())
    assert kept == ([key], key, None)
    assert after_return == ([key], key, True)
    assert dropped == ([], None, None)


def test_chair_and_operator_are_alerted_once_when_a_network_turns_poor(cast, client,
                                                                       login_staff):
    chair_cookie = staff_cookie(client, login_staff, cast.chair)

    async def scenario() -> list:
        chair = ws(cast.hearing.pk, chair_cookie)
        await enter(chair)
        official = ws(cast.hearing.pk)
        key = (await join(official, join_token(cast.official)))["key"]
        from tiepdan.media import live, room_state

        async with room_state.store().update(cast.hearing.pk) as room:
            room.members[key].stage = live.Stage.ROOM  # as admitted
        alerts, seen_stats = [], 0
        for stats in ({"loss_pct": 0.5, "rtt_ms": 40}, {"loss_pct": 12.0, "rtt_ms": 90},
                      {"loss_pct": 15.0, "rtt_ms": 900}, {"loss_pct": 0.0, "rtt_ms": 50}):
            await official.send_json_to({"type": "stats", "stats": stats})
        async with asyncio.timeout(5):
            while seen_stats < 4:
                message = await chair.receive_json_from(5)
                if message["type"] == "alert":
                    alerts.append(message)
                seen_stats += message["type"] == "stats"
        await official.disconnect()
        await chair.disconnect()
        return key, alerts

    key, alerts = run(scenario())
    # Stats and alerts come through the same group in order; the two poor reports give one.
    assert [a["reason"] for a in alerts] == ["poor_network", "network_recovered"], alerts
    assert alerts[0]["participant"] == key and alerts[0]["loss_pct"] == 12.0
    assert RoomEvent.objects.filter(kind=EventKind.ALERT,
                                    detail__reason="poor_network").count() == 1


def test_the_chair_ends_the_hearing_for_everyone(cast, client, login_staff, monkeypatch):
    from tiepdan.hearings.models import HearingStatus
    from tiepdan.media import ending, room_state

    scheduled = []
    monkeypatch.setattr(ending, "process_delay", lambda: 0)
    from tiepdan.media import tasks

    monkeypatch.setattr(tasks.process_recordings, "schedule",
                        lambda args, delay: scheduled.append((args, delay)))
    chair_cookie = staff_cookie(client, login_staff, cast.chair)

    async def scenario() -> tuple:
        chair = ws(cast.hearing.pk, chair_cookie)
        await enter(chair)
        official = ws(cast.hearing.pk)
        await join(official, join_token(cast.official))
        await official.send_json_to({"type": "end_hearing"})  # not the chair's: refused
        refused = await receive_type(official, "error")
        await chair.send_json_to({"type": "end_hearing"})
        ended = await receive_type(official, "ended")
        closed = await official.receive_output(2)
        async with asyncio.timeout(3):  # the chair's side closes the room right after telling
            while await room_state.store().get(cast.hearing.pk) is not None:
                await asyncio.sleep(0.05)
        gone = await room_state.store().get(cast.hearing.pk)
        late = ws(cast.hearing.pk)
        await late.connect()
        await late.send_json_to({"type": "hello", "token": join_token(cast.citizen)})
        too_late = await receive_type(late, "error")
        # A page that was reconnecting when the hearing ended learns it and does not retry.
        late_ended = await receive_type(late, "ended")
        late_closed = await late.receive_output(2)
        assert "đã kết thúc" in late_ended["message"]
        assert late_closed == {"type": "websocket.close", "code": 4000}
        for comm in (chair, late):
            await comm.disconnect()
        return refused, ended, closed, gone, too_late

    refused, ended, closed, gone, too_late = run(scenario())
    assert refused["code"] == "forbidden"
    assert "đã kết thúc" in ended["message"]
    assert closed == {"type": "websocket.close", "code": 4000}
    assert gone is None
    assert too_late["code"] == "ended"
    cast.hearing.refresh_from_db()
    assert cast.hearing.status == HearingStatus.HELD and cast.hearing.held_by == cast.chair
    room = HearingRoom.objects.get(hearing=cast.hearing)
    assert room.state == "ended" and room.ended_at is not None
    assert RoomEvent.objects.filter(kind=EventKind.END).count() == 1
    assert scheduled == [((cast.hearing.pk,), 0)]  # the post-processing job, after commit


def test_a_point_that_is_not_being_recorded_is_detected(tmp_path):
    import os
    import time

    from tiepdan.media import live, recording_watch

    member = live.Member(key="p1", role="participant", name="Sở", channel_name="c",
                         bridge_point_id=None, bridge_point_name="Sở", feed_id=42)
    now = time.time()
    member.published_at = now - 5
    assert recording_watch.video_file_age(tmp_path, 7, 42, now) is None
    assert not recording_watch.stopped(member, None, now)  # just published: give it time
    member.published_at = now - 20
    assert recording_watch.stopped(member, None, now)  # 20 s and still no file
    video = tmp_path / "videoroom-7-user-42-1700000000000000-video-1.mjr"
    video.write_bytes(b"x")
    (tmp_path / "videoroom-7-user-42-1700000000000000-audio-0.mjr").write_bytes(b"x")
    assert not recording_watch.stopped(member, recording_watch.video_file_age(
        tmp_path, 7, 42, time.time()), time.time())
    os.utime(video, (now - 30, now - 30))  # no longer growing
    age = recording_watch.video_file_age(tmp_path, 7, 42, now)
    assert 29 <= age <= 31 and recording_watch.stopped(member, age, now)


def test_each_join_gets_its_own_time_limited_turn_credential(cast, settings):
    """The browser's ICE servers come with the welcome: the deployment's TURN URLs and a
    username/password made for this member now, never the shared secret itself."""
    from tiepdan.media import turn

    settings.TURN_URLS = ["turn:turn.example.vn:3478?transport=udp",
                          "turns:turn.example.vn:443?transport=tcp"]
    settings.TURN_SECRET = "a-shared-secret-of-the-deployment"
    settings.TURN_TTL = 600

    async def scenario() -> dict:
        comm = ws(cast.hearing.pk)
        welcome = await join(comm, join_token(cast.official))
        await comm.disconnect()
        return welcome

    welcome = run(scenario())
    (server,) = welcome["ice_servers"]
    assert server["urls"] == settings.TURN_URLS
    expiry, member = server["username"].split(":")
    assert member == f"h{cast.hearing.pk}.{welcome['key']}"
    assert 0 < int(expiry) - time.time() <= 600
    # What coturn computes from the username with the shared secret.
    username, password = turn.credential(settings.TURN_SECRET, member, 0, now=int(expiry))
    assert (username, password) == (server["username"], server["credential"])
    assert settings.TURN_SECRET not in json.dumps(welcome)
