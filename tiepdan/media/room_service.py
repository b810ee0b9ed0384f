"""Opening a hearing's room on Janus, the one-device-per-link seats and the timeline.

Synchronous ORM functions (called from the consumer through ``database_sync_to_async``) and
the async step that makes sure the Janus room exists (recreating it after a Janus restart).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Collection
from typing import Any

from asgiref.sync import sync_to_async
from django.db import IntegrityError, transaction
from django.utils import timezone

from tiepdan.hearings.models import Hearing

from . import crypto, live, room_state
from .janus_client import JanusError, VideoRoom
from .janus_config import JanusSettings, settings_from_django
from .models import EventKind, HearingRoom, JanusNode, RoomEvent, RoomSeat, RoomState
from .rooms import room_for_hearing

log = logging.getLogger(__name__)

MAX_PUBLISHERS = 12
PROCESS_ID = room_state.PROCESS_ID
_janus_override: JanusSettings | None = None


def janus_settings() -> JanusSettings:
    return _janus_override or settings_from_django()


def use_janus_settings(settings: JanusSettings | None) -> None:
    """Point the rooms at another Janus (tests start their own)."""
    global _janus_override
    _janus_override = settings


# -- Database ---------------------------------------------------------------------------------

def _hearing_key(hearing_id: int, created_at: dt.datetime) -> str:
    # Stable across Janus restarts, distinct across databases that reuse primary keys.
    return f"{hearing_id}:{created_at.isoformat()}"


def room_record(hearing_id: int, node_pk: int | None = None) -> tuple[HearingRoom, str, bool]:
    """The hearing's room row and its secret, created (with a fresh secret, on the Janus node
    ``node_pk`` placement chose) on first use.  Returns (room, secret, created)."""
    with transaction.atomic():
        hearing = Hearing.objects.select_for_update().get(pk=hearing_id)
        room = HearingRoom.objects.filter(hearing=hearing).first()
        if room is not None and room.node_id is None and node_pk is not None:
            room.node_id = node_pk  # a room from before the nodes were registered
            room.save(update_fields=["node"])
        secret = crypto.unseal(room.sealed_secret) if room else None
        if room is not None and secret is not None:
            return room, secret, False
        allocation = room_for_hearing(_hearing_key(hearing.pk, hearing.created_at))
        if room is None:
            room = HearingRoom.objects.create(
                hearing=hearing, janus_room_id=allocation.room_id, node_id=node_pk,
                sealed_secret=crypto.seal(allocation.secret), started_at=timezone.now())
        else:  # sealed under an older SECRET_KEY: a new secret, the room gets recreated
            room.sealed_secret = crypto.seal(allocation.secret)
            room.save(update_fields=["sealed_secret"])
        return room, allocation.secret, True


def room_identity(hearing_id: int) -> tuple[int, int] | None:
    """(room pk, Janus room id) of the hearing's room, if it has one."""
    return (HearingRoom.objects.filter(hearing_id=hearing_id)
            .values_list("pk", "janus_room_id").first())


def record_event(room_pk: int, kind: EventKind | str, *, actor: str = "",
                 bridge_point_id: int | None = None, detail: dict[str, Any] | None = None
                 ) -> RoomEvent | None:
    """One entry of the timeline; None (nothing recorded) once the room has ended: nothing
    after the end belongs to the hearing."""
    room = HearingRoom.objects.get(pk=room_pk)
    if room.state == RoomState.ENDED:
        return None
    now = timezone.now()
    return RoomEvent.objects.create(
        room=room, at=now, offset_seconds=max(0.0, (now - room.started_at).total_seconds()),
        kind=kind, actor=actor[:200], bridge_point_id=bridge_point_id, detail=detail or {})


def seat_holder(room_pk: int, key: str) -> str | None:
    """The process serving the device that holds the seat of ``key`` (None: free)."""
    return (RoomSeat.objects.filter(room_id=room_pk, key=key)
            .values_list("process_id", flat=True).first())


def claim_seat(room_pk: int, key: str, channel_name: str, *,
               dead_processes: Collection[str] = ()) -> bool:
    """Take the seat of ``key``; False when another device already holds it.

    A seat is freed only when the process holding it is dead (``dead_processes``: its
    heartbeat has expired, see :func:`take_seat`), never when it is alive: that device is
    connected to another web process of the same deployment.
    """
    try:
        with transaction.atomic():
            if dead_processes:
                RoomSeat.objects.filter(room_id=room_pk, key=key,
                                        process_id__in=list(dead_processes)).delete()
            RoomSeat.objects.create(room_id=room_pk, key=key, channel_name=channel_name,
                                    process_id=PROCESS_ID, connected_at=timezone.now())
    except IntegrityError:
        return False
    return True


async def take_seat(room_pk: int, key: str, channel_name: str) -> bool:
    """:func:`claim_seat` from a consumer.  A seat held by another process is taken over once
    that process's heartbeat has expired: a browser reconnecting after its web process was
    killed waits for that (at most ``PROCESS_TTL_SECONDS``); a device connected to this
    process, or to one that stays alive, keeps its seat and the newcomer is refused."""
    store = room_state.store()
    deadline = time.monotonic() + room_state.PROCESS_TTL_SECONDS + 1
    while True:
        holder = await sync_to_async(seat_holder)(room_pk, key)
        dead = ([holder] if holder and holder != PROCESS_ID
                and not await store.alive([holder]) else [])
        if await sync_to_async(claim_seat)(room_pk, key, channel_name, dead_processes=dead):
            return True
        if holder == PROCESS_ID or time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.25)


def release_seat(room_pk: int, key: str, channel_name: str) -> None:
    RoomSeat.objects.filter(room_id=room_pk, key=key, channel_name=channel_name).delete()


def mark_recording(room_pk: int) -> bool:
    """The chair opened the session: the recording's time zero is now; what happened in the
    room before (the final check) sits at offset 0.  True when this call started it."""
    now = timezone.now()
    with transaction.atomic():
        started = HearingRoom.objects.filter(pk=room_pk, recording_started=False).update(
            recording_started=True, started_at=now)
        if started:
            RoomEvent.objects.filter(room_id=room_pk).update(offset_seconds=0.0)
    return bool(started)


async def start_recording(control: VideoRoom, room: live.LiveRoom) -> None:
    """Recording starts when the chair opens the session, and is never stopped."""
    if room.recording:
        return
    async with room_state.store().update(room.hearing_id) as current:
        if current is None or current.recording:
            return
        await sync_to_async(mark_recording)(current.room_pk)
        await control.enable_recording(current.janus_room_id, current.secret)
        current.recording, current.recording_at = True, time.time()
    room.recording, room.recording_at = True, current.recording_at


def end_room(hearing_id: int) -> None:
    HearingRoom.objects.filter(hearing_id=hearing_id, state=RoomState.OPEN).update(
        state=RoomState.ENDED, ended_at=timezone.now())


# -- Janus ------------------------------------------------------------------------------------

async def open_room(control: VideoRoom, hearing_id: int, description: str, *,
                    chair: bool = False, node: JanusNode | None = None) -> live.LiveRoom:
    """The hearing's live room: the Janus room created (random secret, recording on and locked)
    when it is missing, e.g. on first use, after a Janus restart or on another node after its
    node died (``control`` is a handle on ``node``, placement's choice).  Under the room's
    lease: of several processes opening it at once, one creates it."""
    store = room_state.store()
    node_name = node.name if node is not None else ""
    async with store.lease(hearing_id) as lease:
        current = await store.get(hearing_id)
        if current is not None and await sync_to_async(room_identity)(hearing_id) != (
                current.room_pk, current.janus_room_id):
            current = None  # left over from another room (a database restored, reused ids)
        if (current is not None and current.node == node_name
                and await control.exists(current.janus_room_id)):
            return current
        room, secret, created = await sync_to_async(room_record)(
            hearing_id, node.pk if node is not None else None)
        if node is not None and room.node_id != node.pk:
            # Placed (or moved) on another node by another process meanwhile: the browser
            # rejoins and follows it.
            raise JanusError(None, "the room is on another Janus node")
        recording = room.recording_started
        if not await control.exists(room.janus_room_id):
            if chair and not recording:  # the chair opens the session in a new room
                recording = await sync_to_async(mark_recording)(room.pk) or True
            # Not recorded until the chair opens the session (start_recording); a room
            # recreated after a Janus restart records at once if the session was open.
            await control.create_room(room.janus_room_id, secret, description[:100],
                                      publishers=MAX_PUBLISHERS,
                                      rec_dir=str(janus_settings().rec_dir),
                                      record=recording, lock_record=True)
            if not created or current is not None:
                detail: dict[str, Any] = {"room": room.janus_room_id}
                if current is not None and current.node != node_name:
                    detail.update(node=node_name, previous_node=current.node)
                await sync_to_async(record_event)(room.pk, EventKind.JANUS_RESTART,
                                                  detail=detail)
        elif created:
            raise JanusError(JanusError.ROOM_EXISTS, "a Janus room with this id already exists")
        if current is not None:  # restored after a Janus restart: keep who is where
            current.secret, current.node = secret, node_name
            current.recording = current.recording or recording
            await store.write(lease, current)
            return current
        fresh = live.LiveRoom(hearing_id=hearing_id, room_pk=room.pk,
                              janus_room_id=room.janus_room_id, secret=secret,
                              recording=recording, recording_at=time.time() if recording else None,
                              node=node_name)
        return await store.create(fresh, lease)
