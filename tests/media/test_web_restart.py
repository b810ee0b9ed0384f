"""Embedded mode (no Redis, one web process): the web process is killed mid-hearing and started
again, as `tiepdan serve`'s supervisor does (issue 12 §9).  The pages reconnect and find the
floor as it was: the holder, the time left of its budget, the hand queue and the points already
admitted (the room store keeps its rooms in ROOM_STATE_DIR)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from tests.database_copy import database_url
from tiepdan.hearings.join_tokens import join_token

from .conftest import RoomCast
from .processes import (
    RESTART_PORT,
    Member,
    WebProcesses,
    floor_of,
    lost_with_their_process,
    participants,
    staff_cookie,
)

pytestmark = pytest.mark.faults


def test_a_restarted_web_process_restores_the_floor(
    cast: RoomCast, janus, login_staff, settings, tmp_path
):
    hearing = cast.hearing.pk
    chair = Member("chair", hearing, cookie=staff_cookie(cast.chair, login_staff))
    operator = Member("operator", hearing, cookie=staff_cookie(cast.operator, login_staff))
    official = Member("official", hearing, token=join_token(cast.official))
    citizen = Member("citizen", hearing, token=join_token(cast.citizen))
    everyone = (chair, operator, official, citizen)
    database = database_url(tmp_path)
    web = WebProcesses(tmp_path, janus.settings, database, settings.SECRET_KEY, redis_url=None)
    port = RESTART_PORT
    web.start((port,))

    async def scenario() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for member in everyone:
            await member.connect(port)
            await member.enter()
        await operator.send({"type": "admit", "participant": official.key})
        await official.next("admitted")
        await operator.send({"type": "identity_checked", "participant": citizen.key})
        await operator.send({"type": "admit", "participant": citizen.key})
        await citizen.next("admitted")
        for member in (chair, official, citizen):
            await member.publish()
        await official.send({"type": "raise_hand"})
        await chair.until("the hand", lambda s: floor_of(s)[2] == (official.key,))
        await chair.send({"type": "grant_floor", "participant": official.key, "seconds": 600})
        await citizen.send({"type": "raise_hand"})
        await chair.until(
            "grant and queue",
            lambda s: floor_of(s)[0] == official.key and floor_of(s)[2] == (citizen.key,),
        )
        seen["before"] = floor_of(chair.state)

        web.kill(port)
        for member in everyone:
            await asyncio.wait_for(member.closed.wait(), 10)
        killed_at = time.monotonic()
        web.start((port,))  # what the supervisor does
        for member in everyone:
            await member.connect(port)
        seen["back_after"] = time.monotonic() - killed_at
        seen["stages"] = [(await m.enter())["stage"] for m in everyone]
        await official.publish()
        await citizen.publish()
        await chair.until(
            "the floor again",
            lambda s: (
                official.key in participants(s)
                and participants(s)[official.key]["feed"]
                and not participants(s)[official.key]["muted"]
            ),
        )
        seen["after"] = floor_of(chair.state)
        seen["citizen_muted"] = participants(chair.state)[citizen.key]["muted"]
        for member in everyone:
            await member.close()
        return seen

    try:
        seen = asyncio.run(scenario())
    except BaseException:
        print(web.log(port))
        raise
    finally:
        web.stop()
    holder, until, queue = seen["before"]
    assert holder == f"p{cast.official.pk}" and queue == (f"p{cast.citizen.pk}",)
    assert until - time.time() > 500
    assert seen["after"] == seen["before"]  # same holder, same deadline, same queue
    assert seen["stages"] == ["room"] * 4  # the points were admitted before: no second lobby
    assert seen["citizen_muted"]
    # Each member lost with the killed process is on the timeline once, whether the new
    # process's keeper dropped it or its own rejoin replaced it.
    lost = lost_with_their_process(database)
    assert len(lost) == len(set(lost)) == 4, lost
    print(f"\nweb process restarted, members back {seen['back_after']:.1f} s after the kill")
