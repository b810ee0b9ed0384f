"""What each web process does in the background for the rooms it serves (decision 0003).

- The process heartbeat: other processes know this one is alive while its key is fresh.
- Per room with members here, a *keeper*: when the floor's budget or a departed member's grace
  period has run out, or members are served by a process that died, it takes the room's lease,
  looks again and applies what is still due.  Every process serving the room runs one; the
  first to get the lease does the work once, the others find nothing left to do.
- Per room, the recording watch (recording_watch.py) for the members served here.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from channels.db import database_sync_to_async

from . import floor, live, recording_watch, room_service, room_state
from .models import EventKind

log = logging.getLogger(__name__)

#: How often a keeper looks at its room (a floor budget ends at most this late).
TICK_SECONDS = 0.25

_beats: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}


async def ensure_heartbeat() -> None:
    """This process is alive for the others from now on (one heartbeat task per loop)."""
    loop = asyncio.get_running_loop()
    task = _beats.get(loop)
    if task is not None and not task.done():
        return
    for old in [old for old in _beats if old.is_closed()]:
        _beats.pop(old, None)
    await room_state.store().heartbeat()
    _beats[loop] = asyncio.create_task(_beat())


async def _beat() -> None:
    while True:
        await asyncio.sleep(room_state.HEARTBEAT_EVERY_SECONDS)
        try:
            await room_state.store().heartbeat()
        except Exception:  # Redis away for a moment: the next beat tries again
            log.exception("room heartbeat failed")


def state_event(room: live.LiveRoom) -> dict[str, Any]:
    return {"type": "room.state", "version": room.version, "state": room.snapshot()}


async def broadcast(room: live.LiveRoom) -> None:
    """Every page in the room (on every process) gets the state as of ``room.version``."""
    await live.channel_layer().group_send(room.group, state_event(room))


#: Per room, members said to be served here that no consumer here serves, as of the last tick.
_suspects: dict[int, set[tuple[str, str]]] = {}


def _strays(hearing_id: int, room: live.LiveRoom) -> set[tuple[str, str]]:
    """Members left behind by this process (a departure whose write failed), seen on two
    ticks in a row (a consumer is attached before its member is written)."""
    local = live.local_room(hearing_id)
    served = set(local.consumers) if local is not None else set()
    now = {
        (m.key, m.channel_name)
        for m in room.members.values()
        if m.process_id == room_state.PROCESS_ID and m.channel_name not in served
    }
    before, _suspects[hearing_id] = _suspects.get(hearing_id, set()), now
    if not now:
        _suspects.pop(hearing_id, None)
    return now & before


async def record_lost(room: live.LiveRoom, member: live.Member) -> None:
    """``member`` is gone with its web process (or left this one without saying): a departure
    on the timeline, once, by whoever drops it first (this keeper, or the member's own
    rejoin on another process, which replaces it).  The recording's gap of its point names
    this as its cause (media.gaps)."""
    log.warning("hearing %s: %s lost with its web process", room.hearing_id, member.key)
    await database_sync_to_async(room_service.record_event)(
        room.room_pk,
        EventKind.LEAVE,
        actor=member.name,
        bridge_point_id=member.bridge_point_id,
        detail={"reason": "process_lost"},
    )


def start(hearing_id: int, local: live.LocalRoom) -> None:
    """The first member of ``hearing_id`` on this process: its keeper and recording watch."""
    if local.tasks:
        return
    local.tasks.append(asyncio.create_task(keep(hearing_id)))
    local.tasks.append(
        asyncio.create_task(
            recording_watch.watch(hearing_id, room_service.janus_settings().rec_dir)
        )
    )


async def keep(hearing_id: int) -> None:
    while live.local_room(hearing_id) is not None:
        await asyncio.sleep(TICK_SECONDS)
        try:
            await tick(hearing_id)
        except asyncio.CancelledError:
            raise
        except Exception:  # never let one failure stop the room's timers
            log.exception("hearing %s: room keeper", hearing_id)


async def tick(hearing_id: int, now: float | None = None) -> bool:
    """Apply what has fallen due in the room; True when something changed."""
    store = room_state.store()
    room = await store.get(hearing_id)
    if room is None:
        return False
    now = now or time.time()
    others = {
        m.process_id
        for m in room.members.values()
        if m.process_id and m.process_id != room_state.PROCESS_ID
    }
    dead = others - await store.alive(others) if others else set()
    stray = _strays(hearing_id, room)
    deadline = floor.next_deadline(room)
    if not dead and not stray and (deadline is None or deadline > now):
        return False
    control = live.janus_control(hearing_id)
    left: list[live.Member] = []
    expired: list[floor.Expired] = []
    async with store.update(hearing_id) as current:
        if current is None:
            return False
        for member in list(current.members.values()):
            if member.process_id in dead or (member.key, member.channel_name) in stray:
                # Its web process died (or it left this one without saying): as if it had left
                del current.members[member.key]
                floor.forget(current, member, now)
                left.append(member)
        expired = await floor.expire_due(control, current, now)
    if not left and not expired:
        return False
    for member in left:
        await record_lost(current, member)
    for item in expired:
        if item.kind == "time_up":
            holder = item.member
            await database_sync_to_async(room_service.record_event)(
                current.room_pk,
                EventKind.REVOKE,
                actor="",
                bridge_point_id=holder.bridge_point_id if holder else None,
                detail={"reason": "time_up"},  # the last grant names the speaker
            )
    await broadcast(current)
    return True
