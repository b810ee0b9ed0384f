"""The SMS receipt: a citizen who gave a phone learns at once that the commune received their
petition, with its tracking code and the short link to its status page (Luật Tiếp công dân
Đ28).  Sent by a retried job after the registration commits; the job is idempotent (the matter's
row is locked and an existing receipt SMS is never queued again), so a retry or a second run
sends nothing more."""

from __future__ import annotations

from django.db import transaction

from tiepdan.notify import sms_templates
from tiepdan.notify.models import Delivery
from tiepdan.notify.services import queue_template_sms

from ..identity.sealing import open_sealed
from ..models import Matter
from ..status import status_short_url

OBJECT_TYPE = Matter._meta.label_lower


def _phone(matter: Matter) -> str:
    # A sealed denunciation's phone column holds a mask: the citizen's own number is sealed.
    return open_sealed(matter).phone if matter.identity_sealed else matter.phone


def send_receipt_sms(matter_id: int) -> Delivery | None:
    """Queue the receipt SMS of matter ``matter_id`` unless it has one (or has no phone)."""
    with transaction.atomic():
        matter = (
            Matter.objects.select_for_update(of=("self",))
            .select_related("commune")
            .filter(pk=matter_id)
            .first()
        )
        if matter is None:
            return None
        phone = _phone(matter)
        if not phone:
            return None
        already = Delivery.objects.filter(
            purpose=sms_templates.RECEIPT.key, object_type=OBJECT_TYPE, object_id=str(matter.pk)
        )
        if already.exists():
            return None
        return queue_template_sms(
            sms_templates.RECEIPT,
            commune=matter.commune,
            to=phone,
            link=status_short_url(matter),
            obj=matter,
            code=matter.tracking_code,
        )
