"""Background jobs of intake (Huey)."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tiepdan.core import admin_units

from .models import Attachment, Matter

log = logging.getLogger(__name__)

UNCLAIMED_UPLOAD_TTL = dt.timedelta(hours=24)


@db_task(retries=3, retry_delay=60)
def send_receipt_email(matter_id: int) -> None:
    """E-mail the 02/TCD receipt to the citizen who gave an address."""
    matter = Matter.objects.select_related("commune").filter(pk=matter_id).first()
    if matter is None or not matter.email:
        return
    with translation.override("vi"):
        context = {
            "commune": matter.commune, "matter": matter,
            "address_ward": admin_units.ward(matter.address_ward_code),
            "province_name": admin_units.province_name(matter.address_province_code),
        }
        subject = f"Giấy biên nhận hồ sơ {matter.tracking_code} — {matter.commune.committee_name}"
        text = render_to_string("intake/email/receipt.txt", context)
        html = render_to_string("intake/email/receipt.html", context)
    message = EmailMultiAlternatives(subject, text, to=[matter.email])
    message.attach_alternative(html, "text/html")
    message.send()
    log.info("receipt e-mailed for %s", matter.tracking_code)


@db_periodic_task(crontab(minute="17"))
def purge_unclaimed_uploads() -> int:
    """Delete API uploads that no registration claimed within a day."""
    cutoff = timezone.now() - UNCLAIMED_UPLOAD_TTL
    stale = list(Attachment.objects.filter(matter__isnull=True, uploaded_at__lt=cutoff))
    for attachment in stale:
        attachment.file.delete(save=False)
        attachment.delete()
    return len(stale)
