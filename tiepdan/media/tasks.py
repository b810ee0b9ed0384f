"""Background jobs of the hearing room: post-processing after a hearing, the minute job that
ends the rooms of hearings that are over, and the daily check that every held hearing has
complete, untouched recordings."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tiepdan.core.jobs import resumable

from . import completeness, custody, ending, janus_nodes, room_service
from .models import HearingRoom, ProcessingState

log = logging.getLogger(__name__)

RETRIES = 2



def _state(hearing_id: int, state: str, error: str = "") -> None:
    HearingRoom.objects.filter(hearing_id=hearing_id).update(
        processing_state=state, processing_error=error[:2000],
        processing_updated_at=timezone.now())


@resumable
@db_task(retries=RETRIES, retry_delay=30, context=True)
def process_recordings(hearing_id: int, task=None) -> None:
    """Per-point files, the combined file, the signed manifest (idempotent: files already
    processed are kept, so a retry only does what is left).  Its progress is on the room
    (queued → processing → done, or failed with the reason) for the recordings page; a worker
    killed mid-job has it re-driven (core.jobs.resumable), and the daily completeness check
    e-mails the office about any held hearing still unprocessed.  Not a durable step: the
    step's row would stay "running" after such a kill and refuse the re-driven run."""
    if not HearingRoom.objects.filter(hearing_id=hearing_id).exists():
        return
    _state(hearing_id, ProcessingState.PROCESSING)
    try:
        custody.process(hearing_id, room_service.janus_settings().rec_dir)
    except Exception as exc:
        retries_left = task.retries if task is not None else 0
        log.exception("hearing %s: processing the recordings failed (%d retries left)",
                      hearing_id, retries_left)
        _state(hearing_id, ProcessingState.QUEUED if retries_left else ProcessingState.FAILED,
               f"{type(exc).__name__}: {exc}")
        raise
    _state(hearing_id, ProcessingState.DONE)
    log.info("hearing %s: recordings processed and signed", hearing_id)


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


@db_periodic_task(crontab(minute="*"))
def check_janus_nodes() -> dict[str, bool]:
    """Every minute: each enabled Janus node asked for its info, sessions and rooms; its
    health and load stored for placement and the operators (a node that dies between two
    checks is noticed at once by the rooms on it: their sessions are lost)."""
    found = janus_nodes.check_all()
    down = sorted(name for name, healthy in found.items() if not healthy)
    if down:
        log.error("Janus nodes down: %s", ", ".join(down))
    return found
