"""Background jobs of the hearing room: post-processing after a hearing, the minute job that
ends the rooms of hearings that are over, and the daily check that every held hearing has
complete, untouched recordings."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tiepdan.core import durable
from tiepdan.core.durable import durable_step
from tiepdan.core.jobs import resumable

from . import completeness, custody, ending, room_service
from .models import HearingRoom, ProcessingState

log = logging.getLogger(__name__)

RETRIES = 2



def _state(hearing_id: int, state: str, error: str = "") -> None:
    HearingRoom.objects.filter(hearing_id=hearing_id).update(
        processing_state=state, processing_error=error[:2000],
        processing_updated_at=timezone.now())


@durable_step("media.process_recordings", label=_("Xử lý bản ghi buổi tiếp công dân"),
              max_attempts=5, base_delay=30)
def _process(hearing_id: int) -> None:
    """Its progress is on the room (queued → processing → done, or failed with the reason)
    for the recordings page; a failed attempt shows as queued again until the last one."""
    if not HearingRoom.objects.filter(hearing_id=hearing_id).exists():
        return
    _state(hearing_id, ProcessingState.PROCESSING)
    try:
        custody.process(hearing_id, room_service.janus_settings().rec_dir)
    except Exception as exc:
        _state(hearing_id, ProcessingState.QUEUED, f"{type(exc).__name__}: {exc}")
        raise
    _state(hearing_id, ProcessingState.DONE)
    log.info("hearing %s: recordings processed and signed", hearing_id)


@durable.register_failure_handler
def _processing_failed_for_good(step) -> None:
    if step.kind == "media.process_recordings":
        _state(step.args["hearing_id"], ProcessingState.FAILED, step.last_error)


@resumable
@db_task()
def process_recordings(hearing_id: int) -> str | None:
    """Per-point files, the combined file, the signed manifest, as a durable step (one per
    hearing: retried with back-off, the office alerted on final failure, never run again once
    done; files already processed are kept, so a retry only does what is left)."""
    from tiepdan.hearings.models import Hearing

    hearing = Hearing.objects.select_related("commune").get(pk=hearing_id)
    step = durable.schedule(
        "media.process_recordings", key=f"media.process_recordings:{hearing_id}",
        args={"hearing_id": hearing_id}, commune=hearing.commune, enqueue=False,
        label=f"Xử lý bản ghi buổi tiếp {hearing}")
    return durable.attempt(step.pk)


@db_periodic_task(crontab(minute="*"))
def close_finished_rooms() -> list[int]:
    """Every minute: the room of a hearing that is over (held, cancelled, or its scheduled end
    passed by the margin) is ended and its recordings processed."""
    closed = ending.close_overrun_rooms()
    if closed:
        log.info("rooms ended after their hearing was over: %s", closed)
    return closed


@db_periodic_task(crontab(hour="6", minute="15"))
def check_recordings_daily() -> None:
    problems = completeness.check_and_alert()
    log.info("daily recording check: %d hearing(s) with problems", len(problems))
