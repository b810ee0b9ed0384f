"""Floor control (quyền phát biểu), enforced on the media server.

Every microphone is muted by Janus (``moderate``) as soon as it publishes; only a grant from
the chair unmutes one publisher, for an optional time budget.  Whatever a browser does, its
audio does not reach the others without a grant.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from django.utils.translation import gettext as _

from .janus_client import JanusError, VideoRoom
from .live import LiveRoom, Member

log = logging.getLogger(__name__)

MAX_GRANT_SECONDS = 60 * 60
#: A member who drops out keeps its raised hand and the floor this long: the browser rejoins by
#: itself after a network failure and finds its floor state unchanged.
RECONNECT_GRACE_SECONDS = 60.0


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
                on_expiry: Callable[[], Awaitable[None]]) -> Member:
    member = room.members.get(key)
    if member is None or member.feed_id is None:
        raise FloorError("not_publishing",
                         _("Điểm cầu này chưa phát hình, chưa thể cho phát biểu."))
    if seconds is not None and not 0 < seconds <= MAX_GRANT_SECONDS:
        raise FloorError("bad_message", _("Thời lượng phát biểu không hợp lệ."))
    if room.floor and room.floor != key and room.floor in room.members:
        await set_muted(control, room, room.members[room.floor], True)
    _cancel_timer(room)
    await set_muted(control, room, member, False)
    lower_hand(room, member)
    room.floor = key
    room.floor_until = time.time() + seconds if seconds else None
    if seconds:
        room.floor_task = asyncio.create_task(_expire(seconds, on_expiry))
    return member


async def revoke(control: VideoRoom, room: LiveRoom) -> Member | None:
    _cancel_timer(room)
    member = room.members.get(room.floor) if room.floor else None
    room.floor, room.floor_until = None, None
    if member is not None:
        await set_muted(control, room, member, True)
    return member


async def mute_all(control: VideoRoom, room: LiveRoom) -> None:
    _cancel_timer(room)
    room.floor, room.floor_until = None, None
    for member in list(room.members.values()):
        try:
            await set_muted(control, room, member, True)
        except JanusError as exc:  # a publisher that just left: nothing to mute
            log.warning("mute_all: %s: %s", member.key, exc)


def forget(room: LiveRoom, member: Member,
           on_dropped: Callable[[], Awaitable[None]] | None = None) -> None:
    """``member`` left: its raised hand and floor are kept for ``RECONNECT_GRACE_SECONDS``,
    then dropped (and ``on_dropped`` awaited) unless the same key has come back."""
    if member.key not in room.queue and room.floor != member.key:
        return
    _cancel_departure(room, member.key)
    room.departed[member.key] = asyncio.get_running_loop().call_later(
        RECONNECT_GRACE_SECONDS,
        lambda: asyncio.ensure_future(_drop_departed(room, member.key, on_dropped)))


def rejoin(room: LiveRoom, member: Member) -> None:
    """The same key is back within the grace period: its floor state is still there."""
    _cancel_departure(room, member.key)
    member.hand_raised = member.key in room.queue


async def _drop_departed(room: LiveRoom, key: str,
                         on_dropped: Callable[[], Awaitable[None]] | None) -> None:
    room.departed.pop(key, None)
    if key in room.members:
        return
    if key in room.queue:
        room.queue.remove(key)
    if room.floor == key:
        _cancel_timer(room)
        room.floor, room.floor_until = None, None
    if on_dropped is not None:
        await on_dropped()


def _cancel_departure(room: LiveRoom, key: str) -> None:
    handle = room.departed.pop(key, None)
    if handle is not None:
        handle.cancel()


def _cancel_timer(room: LiveRoom) -> None:
    task, room.floor_task = room.floor_task, None
    if task is not None and task is not asyncio.current_task():
        task.cancel()


async def _expire(seconds: int, on_expiry: Callable[[], Awaitable[None]]) -> None:
    await asyncio.sleep(seconds)
    await on_expiry()
