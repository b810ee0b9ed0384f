"""One hearing served by three web processes (three uvicorns on three ports, one Redis, one
Janus), as `tiepdan serve --workers 3` or three machines would serve it (decision 0003).

Scripted signalling clients (the browser's protocol, with a fixed SDP offer: Janus answers it
and moderates its audio; no media flows, test_room_e2e.py covers media): the chair, the
operator and two bridge points, each on a process of its own where possible.  They see each
other; a hand raised on one process is granted from another; a forged unmute is refused; the
chair's process and then the floor holder's are killed with SIGKILL, the members reconnect to
the processes left, and the floor (holder, remaining budget, hand queue) is as it was.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from tests.database_copy import database_url
from tiepdan.hearings.join_tokens import join_token
from tiepdan.media.room_state import LEASE_SECONDS

from .conftest import RoomCast
from .processes import (
    PORTS,
    Member,
    WebProcesses,
    floor_of,
    participants,
    redis_or_skip,
    staff_cookie,
    time_up_revokes,
)

pytestmark = pytest.mark.faults


def test_a_hearing_spans_three_web_processes_and_survives_losing_two(
    cast: RoomCast, janus, login_staff, settings, tmp_path
):
    redis_or_skip()
    hearing = cast.hearing.pk
    chair = Member("chair", hearing, cookie=staff_cookie(cast.chair, login_staff))
    operator = Member("operator", hearing, cookie=staff_cookie(cast.operator, login_staff))
    official = Member("official", hearing, token=join_token(cast.official))
    citizen = Member("citizen", hearing, token=join_token(cast.citizen))
    everyone = (chair, operator, official, citizen)
    database = database_url(tmp_path)
    web = WebProcesses(tmp_path, janus.settings, database, settings.SECRET_KEY)
    a, b, c = PORTS
    web.start()

    async def scenario() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        await chair.connect(a)
        await operator.connect(c)
        await official.connect(b)
        await citizen.connect(c)
        for member in (chair, operator):
            assert (await member.enter())["stage"] == "room"
        for member in (official, citizen):
            assert (await member.enter())["stage"] == "lobby"
        # The operator (on C) admits the official served by B: the message crosses processes.
        await operator.send({"type": "admit", "participant": official.key})
        await official.next("admitted")
        await operator.send({"type": "identity_checked", "participant": citizen.key})
        await operator.send({"type": "admit", "participant": citizen.key})
        await citizen.next("admitted")
        for member in (chair, official, citizen):
            await member.publish()
        keys = {m.key for m in everyone}
        for member in everyone:  # everyone sees everyone, with the publishers' feeds
            await member.until(
                "all four",
                lambda s: (
                    set(participants(s)) == keys
                    and all(participants(s)[m.key]["feed"] for m in (chair, official, citizen))
                ),
            )
        seen["muted"] = {
            k: p["muted"] for k, p in participants(operator.state).items() if p["feed"]
        }

        # A 1-second budget with three processes serving the room: it ends once.
        await chair.send({"type": "grant_floor", "participant": citizen.key, "seconds": 1})
        await official.until("the short grant", lambda s: floor_of(s)[0] == citizen.key)
        await official.until("its end", lambda s: floor_of(s)[0] is None, timeout=10)
        seen["short_grant_muted"] = participants(official.state)[citizen.key]["muted"]

        # A hand raised on B, granted by the chair on A, seen on C.
        await official.send({"type": "raise_hand"})
        await chair.until("the raised hand", lambda s: floor_of(s)[2] == (official.key,))
        await chair.send({"type": "grant_floor", "participant": official.key, "seconds": 600})
        await citizen.until("the grant", lambda s: floor_of(s)[0] == official.key)
        seen["granted"] = floor_of(citizen.state)
        seen["official_unmuted"] = not participants(citizen.state)[official.key]["muted"]
        await citizen.send({"type": "raise_hand"})
        await chair.until("the queue", lambda s: floor_of(s)[2] == (citizen.key,))

        # Forged: the citizen unmutes itself, grants itself the floor. Both refused.
        for forged in ({"type": "unmute"}, {"type": "grant_floor", "participant": citizen.key}):
            await citizen.send(forged)
            seen.setdefault("forged", []).append((await citizen.next("error"))["code"])
        before_kill = floor_of(chair.state)
        seen["before_kill"] = before_kill

        # The chair's process dies. The chair's page reconnects to C; the others stay.
        web.kill(a)
        await asyncio.wait_for(chair.closed.wait(), 10)
        killed_at = time.monotonic()
        await chair.connect(c)
        seen["chair_back_after"] = time.monotonic() - killed_at
        await chair.enter()
        await chair.until(
            "the floor after the chair's process died", lambda s: floor_of(s) == before_kill
        )
        seen["after_chair_kill"] = floor_of(chair.state)

        # The floor holder's process (B) dies: the official reconnects to C and publishes
        # again; its floor and the queue waited for it.
        web.kill(b)
        await asyncio.wait_for(official.closed.wait(), 10)
        await chair.until("the official gone", lambda s: official.key not in participants(s))
        seen["while_gone"] = floor_of(chair.state)
        await official.connect(c)
        seen["official_back"] = (await official.enter())["stage"]  # admitted before
        await official.publish()
        await chair.until(
            "the official back, unmuted",
            lambda s: (
                official.key in participants(s)
                and participants(s)[official.key]["feed"]
                and not participants(s)[official.key]["muted"]
            ),
        )
        seen["after_holder_kill"] = floor_of(chair.state)

        # A budget still runs out on the process left.
        # (A change waits for a lease the killed process may have held: up to its lapse.)
        await chair.send({"type": "revoke_floor"})
        await citizen.until("the revoke", lambda s: floor_of(s)[0] is None,
                            timeout=LEASE_SECONDS + 15)
        await chair.send({"type": "grant_floor", "participant": citizen.key, "seconds": 1})
        await chair.until("the short grant", lambda s: floor_of(s)[0] == citizen.key)
        await chair.until("the budget's end", lambda s: floor_of(s)[0] is None, timeout=10)
        seen["citizen_muted_again"] = participants(chair.state)[citizen.key]["muted"]
        for member in everyone:
            await member.close()
        return seen

    try:
        seen = asyncio.run(scenario())
    except BaseException:
        for port in PORTS:
            print(f"--- web {port} ---\n{web.log(port)}")
        raise
    finally:
        web.stop()

    official_key = f"p{cast.official.pk}"
    citizen_key = f"p{cast.citizen.pk}"
    assert all(seen["muted"].values()), seen["muted"]  # every microphone muted on publish
    holder, until, queue = seen["granted"]
    assert holder == official_key and queue == () and until - time.time() > 500
    assert seen["official_unmuted"]
    assert seen["forged"] == ["forbidden", "forbidden"]
    assert seen["before_kill"] == (official_key, until, (citizen_key,))
    assert seen["after_chair_kill"] == seen["before_kill"]
    # The holder's floor and the queue wait for it through the grace period.
    assert seen["while_gone"] == (official_key, until, (citizen_key,))
    assert seen["official_back"] == "room"
    assert seen["after_holder_kill"] == (official_key, until, (citizen_key,))
    assert seen["citizen_muted_again"]
    assert seen["chair_back_after"] < 10, seen["chair_back_after"]
    print(f"\nchair back {seen['chair_back_after']:.1f} s after its process was killed")
    assert seen["short_grant_muted"]
    assert time_up_revokes(database) == 2  # one per budget, whatever the processes
