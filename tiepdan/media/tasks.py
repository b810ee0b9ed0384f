"""Background jobs of the hearing room: post-processing after a hearing, and the daily check
that every held hearing has complete, untouched recordings."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tiepdan.core.jobs import resumable

from . import completeness, custody, room_service

log = logging.getLogger(__name__)


@resumable
@db_task(retries=2, retry_delay=30)
def process_recordings(hearing_id: int) -> None:
    """Per-point files, the combined file, the signed manifest (idempotent: files already
    processed are kept, so a retry only does what is left)."""
    custody.process(hearing_id, room_service.janus_settings().rec_dir)
    log.info("hearing %s: recordings processed and signed", hearing_id)


@db_periodic_task(crontab(hour="6", minute="15"))
def check_recordings_daily() -> None:
    problems = completeness.check_and_alert()
    log.info("daily recording check: %d hearing(s) with problems", len(problems))
