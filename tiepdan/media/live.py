"""The live state of a hearing room: who is connected, at which stage, which Janus feed each
publishes, the hand-raise queue and who holds the floor.

The state of each room is shared by every web process serving its members: it lives in the
room store (``room_state``: Redis with ``REDIS_URL``, memory in embedded mode) and changes
under the room's lease (decision 0003).  What only the process serving a member needs (its
WebSocket consumer, the last video frame seen, alerts already sent) stays here, in
:class:`Member`'s local fields and in the registry of the consumers this process serves.
Everything that must survive the hearing is in the database (HearingRoom, RoomEvent, RoomSeat).
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Protocol

from channels.layers import BaseChannelLayer, get_channel_layer


class Stage:
    RULES = "rules"  # reading the conduct rules (Điều 12)
    DEVICE_CHECK = "device_check"
    LOBBY = "lobby"  # waiting for the operator
    ROOM = "room"


#: Member fields that only the process serving the member keeps (never in the room store).
LOCAL_FIELDS = frozenset({"last_video_at", "video_alerted", "network_poor", "published_at",
                          "recording_alerted"})


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
    process_id: str = ""  # the web process serving this member (room_service.PROCESS_ID)
    # -- Local to the serving process --
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

    def shared(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k not in LOCAL_FIELDS}

    def take_shared(self, other: Member) -> None:
        """Copy what the room store says of this member (others may have changed it: the
        operator admits, the chair mutes), keeping the local fields."""
        for name in SHARED_FIELDS:
            setattr(self, name, getattr(other, name))


SHARED_FIELDS = tuple(f.name for f in fields(Member) if f.name not in LOCAL_FIELDS)


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
    # Bridge points the operator has admitted: one that reconnects skips the lobby.
    admitted: set[str] = field(default_factory=set)
    # Members gone with a raised hand or the floor: when (time.time()) they are dropped
    # unless the same key comes back (floor.forget).
    departed: dict[str, float] = field(default_factory=dict)
    recording: bool = False  # the chair has opened the session: Janus records every stream
    recording_at: float | None = None  # time.time() the recording was switched on
    version: int = 0  # incremented by every write to the room store
    node: str = ""  # the Janus node the room is on (placement); "" before nodes existed

    @property
    def group(self) -> str:
        return group_name(self.hearing_id)

    def snapshot(self) -> dict[str, Any]:
        return {"participants": [m.public() for m in self.members.values()],
                "queue": list(self.queue), "floor": self.floor, "floor_until": self.floor_until}

    def to_dict(self) -> dict[str, Any]:
        return {"hearing_id": self.hearing_id, "room_pk": self.room_pk,
                "janus_room_id": self.janus_room_id, "secret": self.secret,
                "members": [m.shared() for m in self.members.values()],
                "queue": list(self.queue), "floor": self.floor, "floor_until": self.floor_until,
                "admitted": sorted(self.admitted), "departed": dict(self.departed),
                "recording": self.recording, "recording_at": self.recording_at,
                "version": self.version, "node": self.node}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LiveRoom:
        members = {m["key"]: Member(**{k: v for k, v in m.items() if k in SHARED_FIELDS})
                   for m in data.get("members", [])}
        return cls(hearing_id=data["hearing_id"], room_pk=data["room_pk"],
                   janus_room_id=data["janus_room_id"], secret=data["secret"], members=members,
                   queue=list(data.get("queue", [])), floor=data.get("floor"),
                   floor_until=data.get("floor_until"), admitted=set(data.get("admitted", [])),
                   departed={k: float(v) for k, v in data.get("departed", {}).items()},
                   recording=bool(data.get("recording")),
                   recording_at=data.get("recording_at"), version=int(data.get("version", 0)),
                   node=str(data.get("node", "")))


def channel_layer() -> BaseChannelLayer:
    """The channel layer the room's pages listen on (settings.CHANNEL_LAYERS: in memory embedded,
    Redis across processes); the product does not run without one."""
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer: settings.CHANNEL_LAYERS is empty")
    return layer


def group_name(hearing_id: int) -> str:
    return f"hearing-room-{hearing_id}"


# -- The members this process serves ----------------------------------------------------------

class LocalMember(Protocol):
    """What the room's background tasks need of a consumer serving a member here."""

    member: Member | None

    def janus_control(self) -> Any: ...


@dataclass
class LocalRoom:
    consumers: dict[str, LocalMember] = field(default_factory=dict)  # by channel name
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


_local: dict[int, LocalRoom] = {}


def attach(hearing_id: int, channel_name: str, consumer: LocalMember) -> LocalRoom:
    local = _local.setdefault(hearing_id, LocalRoom())
    local.consumers[channel_name] = consumer
    return local


def detach(hearing_id: int, channel_name: str) -> None:
    local = _local.get(hearing_id)
    if local is None:
        return
    local.consumers.pop(channel_name, None)
    if not local.consumers:
        _local.pop(hearing_id, None)
        _stop(local)


def local_room(hearing_id: int) -> LocalRoom | None:
    return _local.get(hearing_id)


def local_members(hearing_id: int) -> list[Member]:
    local = _local.get(hearing_id)
    if local is None:
        return []
    return [c.member for c in list(local.consumers.values()) if c.member is not None]


def janus_control(hearing_id: int) -> Any:
    """A Janus control handle of one of this process's members of the room (None if none)."""
    local = _local.get(hearing_id)
    for consumer in list(local.consumers.values()) if local else []:
        control = consumer.janus_control()
        if control is not None:
            return control
    return None


def _stop(local: LocalRoom) -> None:
    try:
        current = asyncio.current_task()
    except RuntimeError:  # no loop running (tests clearing up between loops)
        current = None
    for task in local.tasks:
        if task is not current and not task.done() and not task.get_loop().is_closed():
            task.get_loop().call_soon_threadsafe(task.cancel)
    local.tasks.clear()


def stop_all() -> None:
    """Tests: stop and forget every live room of this process (``room_state.forget_all``)."""
    for local in _local.values():
        _stop(local)
    _local.clear()
