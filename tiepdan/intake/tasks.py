"""Background jobs of intake (Huey)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .drafts import DRAFT_TTL, purge_expired

log = logging.getLogger(__name__)

UNCLAIMED_UPLOAD_TTL = DRAFT_TTL


@db_periodic_task(crontab(minute="17"))
def purge_unclaimed_uploads() -> int:
    """Delete registration drafts older than a day and the uploads (API or registration steps)
    that no registration claimed within a day; the number of files deleted."""
    drafts, files = purge_expired()
    if drafts or files:
        log.info("purged drafts=%s uploads=%s", drafts, files)
    return files
