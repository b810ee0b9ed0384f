"""Floor control (quyền phát biểu), enforced on the media server.

Every microphone is muted by Janus (``moderate``) as soon as it publishes; only a grant from
the chair unmutes one publisher, for an optional time budget.  Whatever a browser does, its
audio does not reach the others without a grant.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import rules
from .janus_client import JanusError, VideoRoom
from .live import LiveRoom, Member

log = logging.getLogger(__name__)



class FloorError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


async def set_muted(control: VideoRoom, room: LiveRoom, member: Member, muted: bool) -> None:
    if member.feed_id is None or member.audio_mid is None:
        member.muted = True
        return
    await control.moderate(room.janus_room_id, room.secret, member.feed_id, member.audio_mid,
                           mute=muted)
    member.muted = muted


async def mute_on_publish(control: VideoRoom, room: LiveRoom, member: Member) -> None:
    """Right after a publisher's streams exist, before its browser gets the answer: muted,
    unless it holds the floor (it rejoined after a dropped connection)."""
    await set_muted(control, room, member, room.floor != member.key)


def raise_hand(room: LiveRoom, member: Member) -> None:
    member.hand_raised = True
    if member.key not in room.queue:
        room.queue.append(member.key)


def lower_hand(room: LiveRoom, member: Member) -> None:
    member.hand_raised = False
    if member.key in room.queue:
        room.queue.remove(member.key)


async def grant(control: VideoRoom, room: LiveRoom, key: str, seconds: int | None,
                now: float | None = None) -> Member:
    """``key`` gets the floor (unmuted, the previous holder muted), for ``seconds`` at most:
    the deadline is in the room's state, the keeper revokes it (``expire_due``)."""
    member = room.members.get(key)
    if member is None or member.feed_id is None:
        raise FloorError("not_publishing",
                         _("Điểm cầu này chưa phát hình, chưa thể cho phát biểu."))
    if seconds is not None and not 0 < seconds <= rules.MAX_GRANT_SECONDS:
        raise FloorError("bad_message", _("Thời lượng phát biểu không hợp lệ."))
    if room.floor and room.floor != key and room.floor in room.members:
        await set_muted(control, room, room.members[room.floor], True)
    await set_muted(control, room, member, False)
    lower_hand(room, member)
    room.floor = key
    room.floor_until = (now or time.time()) + seconds if seconds else None
    return member


async def revoke(control: VideoRoom | None, room: LiveRoom) -> Member | None:
    member = room.members.get(room.floor) if room.floor else None
    room.floor, room.floor_until = None, None
    if member is not None and control is not None:
        await set_muted(control, room, member, True)
    return member


async def mute_all(control: VideoRoom, room: LiveRoom) -> None:
    room.floor, room.floor_until = None, None
    for member in list(room.members.values()):
        try:
            await set_muted(control, room, member, True)
        except JanusError as exc:  # a publisher that just left: nothing to mute
            log.warning("mute_all: %s: %s", member.key, exc)


def forget(room: LiveRoom, member: Member, now: float | None = None) -> None:
    """``member`` left: its raised hand and floor are kept for ``rules.RECONNECT_GRACE_SECONDS``,
    then dropped (``expire_due``) unless the same key has come back."""
    if member.key not in room.queue and room.floor != member.key:
        return
    room.departed[member.key] = (now or time.time()) + rules.RECONNECT_GRACE_SECONDS


def rejoin(room: LiveRoom, member: Member) -> None:
    """The same key is back within the grace period: its floor state is still there."""
    room.departed.pop(member.key, None)
    member.hand_raised = member.key in room.queue


def seconds_left(until: float | None, now: float | None = None) -> float | None:
    """What is left of the floor's time budget, as pages are told it: a duration, not the
    server's clock time (a browser's clock may be minutes off)."""
    if until is None:
        return None
    return round(max(0.0, until - (now or time.time())), 1)


def next_deadline(room: LiveRoom) -> float | None:
    """When something of the floor falls due: the budget's end or a grace period's."""
    deadlines = list(room.departed.values())
    if room.floor_until is not None:
        deadlines.append(room.floor_until)
    return min(deadlines) if deadlines else None


@dataclass(frozen=True)
class Expired:
    kind: str  # "time_up" (the floor's budget) or "dropped" (a departed member)
    member: Member | None
    key: str


async def expire_due(control: VideoRoom | None, room: LiveRoom,
                     now: float | None = None) -> list[Expired]:
    """Apply what has fallen due at ``now``; call under the room's lease on the state as it
    is now (so it happens once, whichever process gets there first)."""
    now = now or time.time()
    done: list[Expired] = []
    if room.floor_until is not None and room.floor_until <= now and room.floor:
        key = room.floor
        try:
            holder = await revoke(control, room)
        except JanusError as exc:  # the holder's feed is gone: the floor goes all the same
            log.warning("floor expiry: %s: %s", key, exc)
            holder = room.members.get(key)
            room.floor, room.floor_until = None, None
        done.append(Expired("time_up", holder, key))
    for key, deadline in list(room.departed.items()):
        if deadline > now:
            continue
        del room.departed[key]
        if key in room.members:
            continue
        if key in room.queue:
            room.queue.remove(key)
        if room.floor == key:
            room.floor, room.floor_until = None, None
        done.append(Expired("dropped", None, key))
    return done
