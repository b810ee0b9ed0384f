"""The in-memory state of the rooms held by this process: who is connected, at which stage,
which Janus feed each publishes, the hand-raise queue and who holds the floor.

One process serves the hearing rooms (embedded mode, in-memory channel layer); everything that
must survive a restart is in the database (HearingRoom, RoomEvent, RoomSeat).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any


class Stage:
    RULES = "rules"  # reading the conduct rules (Điều 12)
    DEVICE_CHECK = "device_check"
    LOBBY = "lobby"  # waiting for the operator
    ROOM = "room"


@dataclass
class Member:
    key: str
    role: str
    name: str
    channel_name: str
    bridge_point_id: int | None
    bridge_point_name: str
    is_citizen: bool = False
    stage: str = Stage.RULES
    feed_id: int | None = None  # the Janus publisher id once publishing
    audio_mid: str | None = None
    hand_raised: bool = False
    identity_checked: bool = False
    muted: bool = True
    last_video_at: float | None = None  # monotonic time of the last stats with frames flowing
    video_alerted: bool = False
    network_poor: bool = False  # the last stats showed heavy loss or delay (alerted once)
    published_at: float | None = None  # time.time() of the last publish (recording watch)
    recording_alerted: bool = False

    def public(self) -> dict[str, Any]:
        return {"key": self.key, "role": self.role, "name": self.name,
                "point": self.bridge_point_name, "stage": self.stage, "feed": self.feed_id,
                "hand": self.hand_raised, "muted": self.muted, "citizen": self.is_citizen,
                "identity_checked": self.identity_checked}


@dataclass
class LiveRoom:
    hearing_id: int
    room_pk: int
    janus_room_id: int
    secret: str
    members: dict[str, Member] = field(default_factory=dict)
    queue: list[str] = field(default_factory=list)  # hand raises, oldest first
    floor: str | None = None
    floor_until: float | None = None  # time.time() when the floor's time budget runs out
    floor_task: asyncio.Task[None] | None = None
    # Bridge points the operator has admitted: one that reconnects skips the lobby.
    admitted: set[str] = field(default_factory=set)
    # Members gone with a raised hand or the floor: the timer that drops them (floor.forget).
    departed: dict[str, asyncio.TimerHandle] = field(default_factory=dict)
    watch_task: asyncio.Task[None] | None = None  # recording_watch.watch
    recording: bool = False  # the chair has opened the session: Janus records every stream

    @property
    def group(self) -> str:
        return group_name(self.hearing_id)

    def snapshot(self) -> dict[str, Any]:
        return {"participants": [m.public() for m in self.members.values()],
                "queue": list(self.queue), "floor": self.floor, "floor_until": self.floor_until}


def group_name(hearing_id: int) -> str:
    return f"hearing-room-{hearing_id}"


_rooms: dict[int, LiveRoom] = {}
_locks: dict[int, asyncio.Lock] = {}


def get(hearing_id: int) -> LiveRoom | None:
    return _rooms.get(hearing_id)


def put(room: LiveRoom) -> LiveRoom:
    return _rooms.setdefault(room.hearing_id, room)


def lock(hearing_id: int) -> asyncio.Lock:
    return _locks.setdefault(hearing_id, asyncio.Lock())


def discard(hearing_id: int) -> None:
    """The hearing is over: its live state goes (its departure timers with it)."""
    room = _rooms.pop(hearing_id, None)
    if room is not None:
        _stop(room)


def _stop(room: LiveRoom) -> None:
    try:
        current = asyncio.current_task()
    except RuntimeError:  # no loop running (tests clearing up between loops)
        current = None
    for task in (room.floor_task, room.watch_task):
        if (task is not None and task is not current and not task.done()
                and not task.get_loop().is_closed()):
            task.get_loop().call_soon_threadsafe(task.cancel)
    for handle in room.departed.values():
        handle.cancel()


def forget_all() -> None:
    """Tests: each event loop starts with no live rooms."""
    for room in _rooms.values():
        _stop(room)
    _rooms.clear()
    _locks.clear()
