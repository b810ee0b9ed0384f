"""A durable step that failed for good is told to the commune office by e-mail (once), with a
link to the page where it can be retried.  A step of no single commune (a calendar recompute)
is told to the office of every commune."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from tiepdan.core.models import Commune
from tiepdan.core.step_models import DurableStep

from .services import office_emails, queue_email

PURPOSE = "core.step_failed"


def alert_office_of_failed_step(step: DurableStep) -> int:
    """Queue one e-mail per office address; how many were queued."""
    communes = [step.commune] if step.commune is not None else list(
        Commune.objects.order_by("pk"))
    queued = 0
    with transaction.atomic():
        for commune in communes:
            link = f"{settings.SITE_URL}/can-bo/xa/{commune.ward_code}/buoc-xu-ly-loi/"
            text = (
                f"Bước xử lý “{step.label}” không hoàn thành sau {step.attempts} lần thử.\n"
                f"Lỗi: {step.last_error}\n\n"
                f"Bước này là thủ tục bắt buộc; xem và chạy lại tại: {link}"
            )
            for email in office_emails(commune):
                queue_email(commune=commune, to=email,
                            subject=f"[Tiếp Dân] Bước xử lý thất bại: {step.label}"[:255],
                            text=text, purpose=PURPOSE, obj=step)
                queued += 1
    return queued
