"""Background jobs of intake (Huey)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .models import Attachment

log = logging.getLogger(__name__)

UNCLAIMED_UPLOAD_TTL = dt.timedelta(hours=24)


@db_periodic_task(crontab(minute="17"))
def purge_unclaimed_uploads() -> int:
    """Delete API uploads that no registration claimed within a day."""
    cutoff = timezone.now() - UNCLAIMED_UPLOAD_TTL
    stale = list(Attachment.objects.filter(matter__isnull=True, uploaded_at__lt=cutoff))
    for attachment in stale:
        attachment.file.delete(save=False)
        attachment.delete()
    return len(stale)
