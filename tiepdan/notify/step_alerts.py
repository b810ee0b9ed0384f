"""A durable step that failed for good is told to the commune office by e-mail (once), with a
link to the page where it can be retried."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from tiepdan.core.step_models import DurableStep

from .services import office_emails, queue_email

PURPOSE = "core.step_failed"


def alert_office_of_failed_step(step: DurableStep) -> int:
    """Queue one e-mail per office address; how many were queued (none without a commune)."""
    if step.commune is None:
        return 0
    link = (f"{settings.SITE_URL}/can-bo/xa/{step.commune.ward_code}/buoc-xu-ly-loi/")
    text = (
        f"Bước xử lý “{step.label}” không hoàn thành sau {step.attempts} lần thử.\n"
        f"Lỗi: {step.last_error}\n\n"
        f"Bước này là thủ tục bắt buộc; xem và chạy lại tại: {link}"
    )
    emails = office_emails(step.commune)
    with transaction.atomic():
        for email in emails:
            queue_email(commune=step.commune, to=email,
                        subject=f"[Tiếp Dân] Bước xử lý thất bại: {step.label}"[:255],
                        text=text, purpose=PURPOSE, obj=step)
    return len(emails)
