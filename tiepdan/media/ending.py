"""The end of a hearing's room, however the hearing ends: the chair's button in the room, the
office recording it as held, its cancellation, or its scheduled end passing with the room still
open (the periodic job in tasks.py).

One function, :func:`close_room`, ends the room (compare-and-swap on its state, so every path
may call it and only the first acts): the END event closes the timeline, and after commit the
Janus room is destroyed (Janus closes the recordings), the pages in the room are told, and the
post-processing job is scheduled — once.
"""

from __future__ import annotations

import datetime as dt
import logging

import aiohttp
from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core import job_handles
from tiepdan.core.errors import Forbidden
from tiepdan.hearings import planning
from tiepdan.hearings.models import Hearing, HearingStatus

from . import crypto, live, placement, room_service, room_state, rules
from .janus_client import JanusError, JanusSession, VideoRoom
from .models import EndCause, EventKind, HearingRoom, ProcessingState, RoomEvent, RoomState

log = logging.getLogger(__name__)

#: Janus closes a room's recordings when the room is destroyed; the job waits this long
#: (setting RECORDINGS_PROCESS_DELAY, seconds).
PROCESS_DELAY_SECONDS = 10


def process_delay() -> int:
    return int(getattr(settings, "RECORDINGS_PROCESS_DELAY", PROCESS_DELAY_SECONDS))


def end_hearing(hearing_id: int, user: User | AnonymousUser, *,
                actor_name: str) -> HearingRoom:
    """The chair's button: the hearing is held (which ends the room through the end hook).
    Raises ``Forbidden`` when this user may not end it (not the chair, nor the office; a
    participant who joined by link)."""
    if not isinstance(user, User):
        raise Forbidden(_("Chỉ người chủ trì hoặc Văn phòng được kết thúc buổi tiếp."))
    planning.mark_held(Hearing.objects.get(pk=hearing_id), actor=user, cause=EndCause.CHAIR,
                       actor_name=actor_name)
    return HearingRoom.objects.get(hearing_id=hearing_id)


def close_room(hearing_id: int, *, cause: str, actor_name: str = "") -> bool:
    """End the hearing's room if it is open; True when this call ended it."""
    with transaction.atomic():
        room = HearingRoom.objects.select_for_update().filter(hearing_id=hearing_id).first()
        if room is None or room.state != RoomState.OPEN:
            return False
        room_service.record_event(room.pk, EventKind.END, actor=actor_name,
                                  detail={"cause": cause})
        now = timezone.now()
        HearingRoom.objects.filter(pk=room.pk, state=RoomState.OPEN).update(
            state=RoomState.ENDED, ended_at=now, end_cause=cause,
            processing_state=ProcessingState.QUEUED, processing_error="",
            processing_updated_at=now)
        janus_room_id, sealed = room.janus_room_id, room.sealed_secret
        transaction.on_commit(lambda: after_close(hearing_id, janus_room_id, sealed))
    return True


#: The job that processes a closed room's recordings (``media.tasks.process_recordings``,
#: provided by ``MediaConfig.ready``; its periodic sibling closes overrun rooms here).
PROCESS_RECORDINGS_JOB = "media.process_recordings"


def after_close(hearing_id: int, janus_room_id: int, sealed_secret: str) -> None:
    """After commit: tell the pages, destroy the Janus room, schedule the processing.  A
    failure to reach Janus is logged (the room dies with Janus anyway); the job still runs."""
    try:
        async_to_sync(shut_live_room)(hearing_id, janus_room_id, crypto.unseal(sealed_secret))
    except Exception:  # never lose the processing to a Janus or channel-layer failure
        log.exception("hearing %s: closing the live room failed", hearing_id)
    job_handles.job(PROCESS_RECORDINGS_JOB).schedule((hearing_id,), delay=process_delay())


async def shut_live_room(hearing_id: int, janus_room_id: int, secret: str | None) -> None:
    """Pages in the room are told the hearing is over; the Janus room is destroyed.  (In
    embedded mode the worker does not see the web process's rooms: the room's watch loop in
    the web process notices the ended room within seconds and calls this there.)"""
    store = room_state.store()
    if await store.get(hearing_id) is not None:
        # The group spans every web process serving the room.
        await live.channel_layer().group_send(live.group_name(hearing_id),
                                             {"type": "room.ended"})
        await store.discard(hearing_id)
    if secret is None:
        return
    # The node the room is on (the embedded Janus for a room placed before nodes existed).
    janus = await placement.endpoint_of_room(hearing_id) or room_service.janus_settings()
    try:
        async with JanusSession(janus.api_url, janus.api_secret) as session:
            control = VideoRoom(await session.attach(), janus.room_admin_key)
            if await control.exists(janus_room_id):
                await control.destroy_room(janus_room_id, secret)
    except (JanusError, aiohttp.ClientError, OSError, TimeoutError) as exc:
        log.warning("hearing %s: Janus room %s not destroyed: %s", hearing_id, janus_room_id,
                    exc)


def on_hearing_ended(hearing: Hearing, cause: str, actor_name: str) -> None:
    """End hook of the hearings app (held or cancelled): the room ends with the hearing."""
    close_room(hearing.pk, cause=cause, actor_name=actor_name)


def room_period(hearing: Hearing) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The session as the room saw it: the chair's first join (else anyone's) to the end."""
    room = HearingRoom.objects.filter(hearing=hearing).first()
    if room is None:
        return None, None
    joins = RoomEvent.objects.filter(room=room, kind=EventKind.JOIN).order_by("at")
    chair = joins.filter(detail__role="chair").first()
    first = chair or joins.first()
    return (first.at if first else None), room.ended_at


def is_ended(hearing_id: int) -> bool:
    return HearingRoom.objects.filter(hearing_id=hearing_id, state=RoomState.ENDED).exists()


def overrun_rooms(now: dt.datetime | None = None):
    """Open rooms whose hearing is over: held or cancelled, or its scheduled end passed by
    the margin (setting ROOM_OVERRUN_MINUTES)."""
    now = now or timezone.now()
    margin = dt.timedelta(minutes=overrun_minutes())
    return (HearingRoom.objects.filter(state=RoomState.OPEN)
            .filter(hearing__ends_at__lt=now - margin)
            | HearingRoom.objects.filter(state=RoomState.OPEN, hearing__status__in=[
                HearingStatus.HELD, HearingStatus.CANCELLED]))


def overrun_minutes() -> int:
    return int(getattr(settings, "ROOM_OVERRUN_MINUTES", rules.OVERRUN_MINUTES))


def close_overrun_rooms(now: dt.datetime | None = None) -> list[int]:
    """The periodic job's work: end every room whose hearing is over; returns the hearings."""
    closed = []
    for room in overrun_rooms(now).select_related("hearing"):
        held = room.hearing.status in ("held", "cancelled")
        cause = room.hearing.status if held else EndCause.OVERRUN
        if close_room(room.hearing_id, cause=cause):
            closed.append(room.hearing_id)
    return closed
