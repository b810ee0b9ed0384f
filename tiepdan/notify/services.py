"""Queue messages and deliver them; every message leaves a delivery record.

A message is queued inside the caller's transaction and handed to the worker only after commit,
so nothing is sent for a change that rolled back.  A failed attempt is retried with back-off by
the periodic ``retry_due_deliveries`` job; after the last attempt the delivery is marked failed
and the commune office is alerted.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.utils import timezone

from tiepdan.core import job_handles
from tiepdan.core.models import Commune, Role

from . import metrics, zns
from .models import Channel, Delivery, DeliveryStatus
from .sms import gateway
from .sms_templates import SmsTemplate

log = logging.getLogger(__name__)

ALERT_PURPOSE = "notify.failure_alert"


def _retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=2 ** max(attempts - 1, 0))  # 1, 2, 4, 8 minutes


#: The job that attempts one delivery (``notify.tasks.deliver``, provided by
#: ``NotifyConfig.ready``): it calls this module, which queues it again for a fallback or an alert.
DELIVER_JOB = "notify.deliver"


def _queue(delivery: Delivery) -> Delivery:
    delivery.save()
    deliver = job_handles.job(DELIVER_JOB)
    transaction.on_commit(lambda: deliver(delivery.pk))
    return delivery


def queue_email(
    *, commune: Commune, to: str, subject: str, text: str, html: str = "", purpose: str,
    obj: models.Model | None = None,
) -> Delivery:
    return _queue(Delivery(
        commune=commune, channel=Channel.EMAIL, recipient=to, subject=subject[:255],
        body_text=text, body_html=html, purpose=purpose,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
    ))


def queue_sms(
    *, commune: Commune, to: str, text: str, purpose: str, obj: models.Model | None = None,
    params: dict[str, str] | None = None,
) -> Delivery:
    """A text message to a phone: as a Zalo ZNS template where the commune uses ZNS and the
    purpose has an approved template (``params`` fill it), otherwise (and on ZNS failure) SMS."""
    owner = {"object_type": obj._meta.label_lower if obj is not None else "",
             "object_id": str(obj.pk) if obj is not None else ""}
    template = zns.template_for(purpose) if params is not None else None
    if template and zns.enabled_for(commune.ward_code):
        return _queue(Delivery(
            commune=commune, channel=Channel.ZNS, recipient=to, body_text=text, purpose=purpose,
            template_id=template, params=params, **owner))
    return _queue(Delivery(
        commune=commune, channel=Channel.SMS, recipient=to, body_text=text, purpose=purpose,
        **owner))


def queue_template_sms(
    template: SmsTemplate, *, commune: Commune, to: str, link: str,
    obj: models.Model | None = None, **values: Any,
) -> Delivery:
    """One message of the SMS catalogue (``sms_templates``): its one-segment text, and its values
    as the parameters of the commune's ZNS template where there is one."""
    rendered = template.render(commune=commune, link=link, **values)
    return queue_sms(commune=commune, to=to, text=rendered.text, purpose=template.key, obj=obj,
                     params=rendered.params)


def _send(delivery: Delivery) -> str:
    """Hand the message to its transport; returns the provider's message id."""
    if delivery.channel == Channel.EMAIL:
        message = EmailMultiAlternatives(delivery.subject, delivery.body_text,
                                         to=[delivery.recipient])
        if delivery.body_html:
            message.attach_alternative(delivery.body_html, "text/html")
        message.send()
        return ""
    if delivery.channel == Channel.ZNS:
        return zns.ZnsClient().send(
            phone=delivery.recipient, template_id=delivery.template_id, params=delivery.params,
            tracking_id=f"tiepdan-{delivery.pk}").msg_id
    return gateway().send(delivery.recipient, delivery.body_text)


def attempt(delivery_id: int) -> DeliveryStatus | None:
    """Try to send one queued delivery once; returns its new status (None if not queued)."""
    now = timezone.now()
    # Compare-and-swap: only one worker takes a queued delivery at a time.
    taken = Delivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.QUEUED,
    ).filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)).update(
        attempts=models.F("attempts") + 1, next_attempt_at=now + dt.timedelta(minutes=10))
    if not taken:
        return None
    delivery = Delivery.objects.select_related("commune").get(pk=delivery_id)
    try:
        provider_id = _send(delivery)
    except zns.ZnsError as exc:
        return _record_failure(delivery, exc, retryable=exc.retryable)
    except Exception as exc:  # noqa: BLE001 - any transport error is recorded and retried
        return _record_failure(delivery, exc)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error="",
        provider_id=(provider_id or "")[:128])
    return DeliveryStatus.SENT


def _record_failure(
    delivery: Delivery, exc: Exception, *, retryable: bool = True
) -> DeliveryStatus:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    log.warning("delivery %s to %s failed (attempt %s): %s", delivery.pk, delivery.recipient,
                delivery.attempts, error)
    final = not (retryable and delivery.attempts < settings.NOTIFY_MAX_ATTEMPTS)
    metrics.delivery_failed(delivery.channel, final=final)
    if not final:
        Delivery.objects.filter(pk=delivery.pk).update(
            last_error=error, next_attempt_at=timezone.now() + _retry_delay(delivery.attempts))
        return DeliveryStatus.QUEUED
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, last_error=error, failed_at=timezone.now(),
        next_attempt_at=None)
    if delivery.channel == Channel.ZNS:
        _fall_back_to_sms(delivery)
    elif delivery.purpose != ALERT_PURPOSE:
        alert_office(delivery, error)
    return DeliveryStatus.FAILED


def _fall_back_to_sms(delivery: Delivery) -> Delivery:
    """A ZNS message that cannot be delivered goes out as SMS; the office hears of it only if
    the SMS fails too."""
    return _queue(Delivery(
        commune=delivery.commune, channel=Channel.SMS, recipient=delivery.recipient,
        body_text=delivery.body_text, purpose=delivery.purpose, object_type=delivery.object_type,
        object_id=delivery.object_id, fallback_of=delivery))


def office_emails(commune: Commune) -> list[str]:
    users = get_user_model().objects.filter(
        staff_roles__commune=commune, staff_roles__role=Role.OFFICE_OFFICER, is_active=True,
    ).exclude(email="").values_list("email", flat=True)
    emails = sorted(set(users))
    if commune.email:
        emails.append(commune.email)
    return emails


def alert_office(delivery: Delivery, error: str) -> None:
    """Tell the commune office that a message could not be delivered."""
    text = (
        f"Không gửi được {delivery.get_channel_display().lower()} tới {delivery.recipient} "
        f"(mục đích: {delivery.purpose}, {delivery.attempts} lần thử).\n"
        f"Lỗi: {error}\n\nVui lòng liên hệ người nhận bằng cách khác và kiểm tra cấu hình gửi "
        "thư trên hệ thống Tiếp Dân."
    )
    with transaction.atomic():
        for email in office_emails(delivery.commune):
            if email == delivery.recipient:
                continue
            queue_email(commune=delivery.commune, to=email,
                        subject="[Tiếp Dân] Gửi thông báo thất bại", text=text,
                        purpose=ALERT_PURPOSE, obj=delivery)
        Delivery.objects.filter(pk=delivery.pk).update(office_alerted=True)


def due_for_retry(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(Delivery.objects.filter(
        status=DeliveryStatus.QUEUED, next_attempt_at__lte=now).values_list("pk", flat=True))
