"""The end of a hearing in its room: the chair ends it, the hearing is recorded as held (its
matters heard), the room is closed for good, and the recordings are processed in the
background once Janus has closed its files."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from tiepdan.hearings import planning
from tiepdan.hearings.models import Hearing

from . import room_service
from .models import EventKind, HearingRoom, RoomState

log = logging.getLogger(__name__)

#: Janus closes a room's recordings when the room is destroyed; the job waits this long
#: (setting RECORDINGS_PROCESS_DELAY, seconds).
PROCESS_DELAY_SECONDS = 10


def process_delay() -> int:
    return int(getattr(settings, "RECORDINGS_PROCESS_DELAY", PROCESS_DELAY_SECONDS))


def end_hearing(hearing_id: int, user: AbstractBaseUser | AnonymousUser, *,
                actor_name: str) -> HearingRoom:
    """Mark the hearing held, end its room and schedule the post-processing (after commit).
    Raises the hearings app's ``HearingStateError`` when it cannot end (not the chair …)."""
    from .tasks import process_recordings

    with transaction.atomic():
        hearing = Hearing.objects.get(pk=hearing_id)
        planning.mark_held(hearing, actor=user)
        room = HearingRoom.objects.select_for_update().get(hearing_id=hearing_id)
        room_service.end_room(hearing_id)
        room_service.record_event(room.pk, EventKind.END, actor=actor_name)
        transaction.on_commit(lambda: process_recordings.schedule(
            (hearing_id,), delay=process_delay()))
    room.refresh_from_db()
    return room


def is_ended(hearing_id: int) -> bool:
    return HearingRoom.objects.filter(hearing_id=hearing_id, state=RoomState.ENDED).exists()
