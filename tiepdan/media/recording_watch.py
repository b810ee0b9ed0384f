"""Live check that every publishing bridge point is being recorded: Janus writes one raw file
per stream, which grows while the stream is recorded.  A point whose video file stops growing
(or never appears) during the hearing raises an alert to the chair and the operator, once."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from channels.db import database_sync_to_async

from . import live, room_service, room_state, rules
from .ending import shut_live_room
from .models import EventKind, HearingRoom, RoomState

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 5.0


def _ended(room_pk: int) -> bool:
    return HearingRoom.objects.filter(pk=room_pk, state=RoomState.ENDED).exists()


def video_file_age(rec_dir: Path, janus_room_id: int, feed_id: int,
                   now: float | None = None) -> float | None:
    """Seconds since the feed's newest video recording was last written (None: no file)."""
    files = list(rec_dir.glob(f"videoroom-{janus_room_id}-user-{feed_id}-*-video-*.mjr"))
    if not files:
        return None
    newest = max(path.stat().st_mtime for path in files)
    return (now or time.time()) - newest


def stopped(member: live.Member, age: float | None, now: float,
            since: float | None = None) -> bool:
    """``since``: when the recording was switched on (a point publishing before has had no
    file until then)."""
    if member.feed_id is None or member.published_at is None:
        return False
    if age is None:
        return now - max(member.published_at, since or 0.0) > rules.RECORDING_STALE_SECONDS
    return age > rules.RECORDING_STALE_SECONDS


async def watch(hearing_id: int, rec_dir: Path) -> None:
    """Runs while this process serves members of the hearing's room; watches those."""
    layer = live.channel_layer()
    store = room_state.store()
    while live.local_room(hearing_id) is not None:
        await asyncio.sleep(INTERVAL_SECONDS)
        room = await store.get(hearing_id)
        if room is None:
            continue
        if await database_sync_to_async(_ended)(room.room_pk):
            # Ended elsewhere (the worker's job for a hearing past its end): close it here.
            await shut_live_room(room.hearing_id, room.janus_room_id, room.secret)
            return
        if not room.recording:  # the chair has not opened the session yet
            continue
        now = time.time()
        for member in live.local_members(hearing_id):
            if member.recording_alerted or member.feed_id is None:
                continue
            age = video_file_age(rec_dir, room.janus_room_id, member.feed_id, now)
            if not stopped(member, age, now, room.recording_at):
                continue
            member.recording_alerted = True
            log.error("hearing %s: %s is not being recorded", room.hearing_id, member.key)
            detail = {"reason": "recording_stopped", "feed": member.feed_id}
            await database_sync_to_async(room_service.record_event)(
                room.room_pk, EventKind.RECORDING_ALERT, actor=member.name,
                bridge_point_id=member.bridge_point_id, detail=detail)
            await layer.group_send(room.group, {"type": "room.alert", "alert": {
                "participant": member.key, "name": member.name, **detail}})
