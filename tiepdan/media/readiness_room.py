"""The test room of a hearing on Janus: where bridge points publish a short stream and watch it
come back, to measure the path to the media server.

Separate from the hearing's real room (its own id, never recorded, no floor control), created
by the app when the first tester arrives and destroyed when the last one leaves.  Its id is
derived from the hearing and this process, so a room left behind by a process that died is
never reused with a secret we no longer know.
"""

from __future__ import annotations

import asyncio
import logging
import secrets

from .janus_client import JanusError, VideoRoom
from .live import LiveRoom
from .room_service import PROCESS_ID
from .rooms import room_id_for

log = logging.getLogger(__name__)

MAX_TESTERS = 12
#: What the test page may reach; the path passes from 300 kbps (readiness_rules.THRESHOLDS).
TEST_BITRATE = 1_000_000

_rooms: dict[int, LiveRoom] = {}
_users: dict[int, int] = {}
_locks: dict[int, asyncio.Lock] = {}


def janus_room_id(hearing_id: int) -> int:
    return room_id_for(f"readiness:{hearing_id}:{PROCESS_ID}")


async def enter(control: VideoRoom, hearing_id: int) -> LiveRoom:
    """The hearing's test room, created on Janus when missing (first tester, Janus restart)."""
    async with _locks.setdefault(hearing_id, asyncio.Lock()):
        room = _rooms.get(hearing_id)
        if room is None or not await control.exists(room.janus_room_id):
            room = LiveRoom(hearing_id=hearing_id, room_pk=0,
                            janus_room_id=janus_room_id(hearing_id),
                            secret=secrets.token_urlsafe(24))
            await control.create_room(room.janus_room_id, room.secret,
                                      f"Readiness {hearing_id}", publishers=MAX_TESTERS,
                                      record=False, lock_record=True, bitrate=TEST_BITRATE)
            _rooms[hearing_id] = room
        _users[hearing_id] = _users.get(hearing_id, 0) + 1
        return room


async def leave(control: VideoRoom, hearing_id: int) -> None:
    """One tester fewer; the last one out destroys the room on Janus."""
    async with _locks.setdefault(hearing_id, asyncio.Lock()):
        _users[hearing_id] = _users.get(hearing_id, 1) - 1
        if _users[hearing_id] > 0:
            return
        _users.pop(hearing_id, None)
        room = _rooms.pop(hearing_id, None)
        if room is None:
            return
        try:
            await control.destroy_room(room.janus_room_id, room.secret)
        except JanusError as exc:  # Janus restarted meanwhile: the room is gone anyway
            log.info("test room of hearing %s not destroyed: %s", hearing_id, exc)


def forget_all() -> None:
    """Tests: each event loop starts with no test rooms."""
    _rooms.clear()
    _users.clear()
    _locks.clear()
