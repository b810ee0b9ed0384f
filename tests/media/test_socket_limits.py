"""The signalling sockets validate every message against its schema and keep each connection
within bounds: a hello within 10 s, at most 5 refused messages, a bounded rate; lobby members
see only themselves; refused text never reaches the log; a refused offer leaves no feed."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tiepdan.hearings.join_tokens import join_token
from tiepdan.media import protocol

from .test_signalling import enter, join, receive_type, run, staff_cookie, ws

pytestmark = pytest.mark.usefixtures("rooms_on_test_janus")


@pytest.mark.parametrize("message", [
    pytest.param({"type": "stats", "stats": {"fps_out": "lots", "loss_pct": 1}},
                 id="string-for-a-number"),
    pytest.param({"type": "stats", "stats": "fast"}, id="stats-not-an-object"),
    pytest.param({"type": "stats", "stats": {"loss_pct": 250}}, id="loss-over-100"),
    pytest.param({"type": "subscribe", "feed": "1"}, id="feed-as-string"),
    pytest.param({"type": "grant_floor", "participant": ["x"]}, id="participant-as-list"),
])
def test_a_malformed_message_gets_an_error_and_the_socket_lives_on(cast, client, login_staff,
                                                                 message):
    cookie = staff_cookie(client, login_staff, cast.chair)

    async def scenario():
        chair = ws(cast.hearing.pk, cookie)
        await enter(chair)
        await chair.send_json_to(message)
        error = await receive_type(chair, "error")
        await chair.send_json_to({"type": "stats", "stats": {"fps_out": 25, "loss_pct": 0.5}})
        stats = await receive_type(chair, "stats")
        await chair.disconnect()
        return error, stats

    error, stats = run(scenario())
    assert error["code"] == "bad_message"
    assert stats["stats"]["fps_out"] == 25


def test_a_socket_that_never_says_hello_is_closed(cast, monkeypatch):
    monkeypatch.setattr(protocol, "AUTH_TIMEOUT_SECONDS", 0.3)

    async def scenario():
        comm = ws(cast.hearing.pk)
        connected, _ = await comm.connect()
        assert connected
        closed = await comm.receive_output(timeout=5)
        await comm.wait(5)
        return closed

    closed = run(scenario())
    assert closed == {"type": "websocket.close", "code": protocol.CLOSE_NOT_AUTHENTICATED,
                      "reason": None} or closed.get("code") == protocol.CLOSE_NOT_AUTHENTICATED


def test_a_member_who_said_hello_is_not_closed_by_the_timer(cast, monkeypatch):
    monkeypatch.setattr(protocol, "AUTH_TIMEOUT_SECONDS", 0.3)

    async def scenario():
        comm = ws(cast.hearing.pk)
        await join(comm, join_token(cast.official))
        await asyncio.sleep(0.6)
        await comm.send_json_to({"type": "rules_accepted"})
        stage = await receive_type(comm, "stage")
        await comm.disconnect()
        return stage

    assert run(scenario())["stage"] == "device_check"


def test_the_fifth_refused_message_closes_the_socket(cast):
    async def scenario():
        comm = ws(cast.hearing.pk)
        await comm.connect()
        codes = []
        for _ in range(protocol.MAX_BAD_MESSAGES):
            await comm.send_to("{junk")
            codes.append((await comm.receive_json_from())["code"])
        closed = await comm.receive_output(timeout=5)
        return codes, closed

    codes, closed = run(scenario())
    assert codes == ["bad_json"] * protocol.MAX_BAD_MESSAGES
    assert closed["type"] == "websocket.close"
    assert closed["code"] == protocol.CLOSE_BAD_MESSAGES


def test_a_flood_of_valid_messages_is_rate_limited_then_closed(cast, client, login_staff):
    cookie = staff_cookie(client, login_staff, cast.chair)

    async def scenario():
        chair = ws(cast.hearing.pk, cookie)
        await enter(chair)
        for _ in range(protocol.RATE_BURST + 20):
            await chair.send_json_to({"type": "stats", "stats": {"fps_out": 25}})
        codes, closed = [], None
        async with asyncio.timeout(20):
            while closed is None:
                output = await chair.receive_output(timeout=10)
                if output["type"] == "websocket.close":
                    closed = output
                elif '"error"' in output["text"]:
                    codes.append(output["text"])
        return codes, closed

    codes, closed = run(scenario())
    assert codes and all("rate_limited" in c for c in codes)
    assert closed["code"] == protocol.CLOSE_BAD_MESSAGES


def test_refused_client_text_is_not_logged(cast, caplog):
    caplog.set_level(logging.DEBUG)

    async def scenario():
        comm = ws(cast.hearing.pk)
        await comm.connect()
        await comm.send_to('{"type": "ATTACKER-TEXT-1"}')
        await comm.receive_json_from()
        await comm.send_to("ATTACKER-TEXT-2 {")
        await comm.receive_json_from()
        await comm.disconnect()

    run(scenario())
    assert "ATTACKER-TEXT" not in caplog.text


def test_a_lobby_member_sees_only_itself(cast, client, login_staff):
    cookie = staff_cookie(client, login_staff, cast.operator)

    async def scenario():
        operator, official, citizen = (ws(cast.hearing.pk, cookie), ws(cast.hearing.pk),
                                       ws(cast.hearing.pk))
        await enter(operator)
        await enter(official, join_token(cast.official))
        citizen_key = (await enter(citizen, join_token(cast.citizen)))["key"]
        seen_by_citizen = await receive_type(citizen, "participants")
        # The operator, in the room, sees the lobby (it admits from there).
        await operator.send_json_to({"type": "identity_checked", "participant": citizen_key})
        seen_by_operator = await receive_type(operator, "participants")
        while len(seen_by_operator["participants"]) < 3:
            seen_by_operator = await receive_type(operator, "participants")
        for comm in (operator, official, citizen):
            await comm.disconnect()
        return citizen_key, seen_by_citizen, seen_by_operator

    citizen_key, seen_by_citizen, seen_by_operator = run(scenario())
    assert [p["key"] for p in seen_by_citizen["participants"]] == [citizen_key]
    assert seen_by_citizen["queue"] == []
    assert len(seen_by_operator["participants"]) == 3


def test_a_refused_offer_leaves_no_feed(cast, client, login_staff):
    cookie = staff_cookie(client, login_staff, cast.chair)

    async def scenario():
        chair = ws(cast.hearing.pk, cookie)
        key = (await enter(chair))["key"]
        await chair.send_json_to({"type": "publish", "sdp": "v=0\r\nnot an offer\r\n"})
        error = await receive_type(chair, "error", timeout=25)
        await chair.send_json_to({"type": "raise_hand"})  # forbidden: answered with an error
        await receive_type(chair, "error")
        # Any later state shows the chair without a feed.
        await chair.send_json_to({"type": "mute_all"})
        state = await receive_type(chair, "participants", timeout=10)
        await chair.disconnect()
        return key, error, state

    key, error, state = run(scenario())
    assert error["code"] == "media_server"
    me = next(p for p in state["participants"] if p["key"] == key)
    assert me["feed"] is None


def test_a_pages_error_report_is_logged_without_an_answer_and_is_no_refusal(cast, caplog):
    caplog.set_level(logging.WARNING, logger="tiepdan.media.client_errors")

    async def scenario():
        comm = ws(cast.hearing.pk)
        welcome = await join(comm, join_token(cast.official))  # at the rules: not yet in
        for n in range(protocol.MAX_BAD_MESSAGES + 2):
            await comm.send_json_to({"type": "client_error", "where": "device",
                                     "message": f"NotReadableError {n}"})
        await comm.send_json_to({"type": "rules_accepted"})
        seen = [await comm.receive_json_from()]
        while seen[-1]["type"] != "stage":  # the reports had no answer; the socket lives on
            seen.append(await comm.receive_json_from())
        await comm.disconnect()
        return welcome, seen

    welcome, seen = run(scenario())
    assert seen[-1] == {"type": "stage", "stage": "device_check"}
    assert not [m for m in seen if m["type"] == "error"]
    logged = [r.getMessage() for r in caplog.records if r.name == "tiepdan.media.client_errors"]
    assert logged[0] == (f"hearing {cast.hearing.pk}: the page of {welcome['key']} failed in "
                         "'device': 'NotReadableError 0'")
    assert len(logged) == 5  # the budget of a connection
