"""Background jobs of the hearing room: post-processing after a hearing, and the daily check
that every held hearing has complete, untouched recordings."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tiepdan.core import durable
from tiepdan.core.durable import durable_step

from . import completeness, custody, room_service

log = logging.getLogger(__name__)


@durable_step("media.process_recordings", label=_("Xử lý bản ghi buổi tiếp công dân"),
              max_attempts=5, base_delay=30)
def _process(hearing_id: int) -> None:
    custody.process(hearing_id, room_service.janus_settings().rec_dir)
    log.info("hearing %s: recordings processed and signed", hearing_id)


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


@db_periodic_task(crontab(hour="6", minute="15"))
def check_recordings_daily() -> None:
    problems = completeness.check_and_alert()
    log.info("daily recording check: %d hearing(s) with problems", len(problems))
