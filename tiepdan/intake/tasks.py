"""Background jobs of intake (Huey)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import deadline_watch
from .registration import receipt_sms
from .registration.rules import DRAFT_TTL
from .registration.uploads import purge_expired

log = logging.getLogger(__name__)

UNCLAIMED_UPLOAD_TTL = DRAFT_TTL


@db_task(retries=3, retry_delay=60)
def send_receipt_sms(matter_id: int) -> int | None:
    """The SMS receipt of a new matter (idempotent: a retry or a second run queues nothing
    more); the delivery's id."""
    delivery = receipt_sms.send_receipt_sms(matter_id)
    return delivery.pk if delivery is not None else None


@db_periodic_task(crontab(minute="17"))
def purge_unclaimed_uploads() -> int:
    """Delete registration drafts older than a day and the uploads (API or registration steps)
    that no registration claimed within a day; the number of files deleted."""
    drafts, files = purge_expired()
    if drafts or files:
        log.info("purged drafts=%s uploads=%s", drafts, files)
    return files


@db_periodic_task(crontab(minute="5", hour="6-18"))
def watch_matter_deadlines() -> int:
    """Every hour of the working day: each office told of its matters' statutory deadlines that
    became due soon or overdue (once per deadline, mark and due date); how many were told."""
    told = deadline_watch.warn_offices()
    if told:
        log.info("deadline warnings sent for %s deadline(s)", told)
    return told
