"""The e-mail copy of the 02/TCD receipt, queued through notify (with its delivery record)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from tiepdan.core import admin_units
from tiepdan.notify.models import Delivery
from tiepdan.notify.services import queue_email

from ..models import Matter
from ..status import status_url


def queue_receipt_email(matter: Matter, *, to: str = "") -> Delivery:
    """The receipt, to the citizen's own address (``to``; for a sealed matter the column holds
    no address).  A sealed matter's message names nobody: the delivery record is stored.  It
    carries the personal link to the status page."""
    with translation.override("vi"):
        context = {
            "commune": matter.commune, "matter": matter,
            "address_ward": admin_units.ward(matter.address_ward_code),
            "province_name": admin_units.province_name(matter.address_province_code),
            "status_url": status_url(matter),
        }
        text = render_to_string("intake/email/receipt.txt", context)
        html = render_to_string("intake/email/receipt.html", context)
    subject = f"Giấy biên nhận hồ sơ {matter.tracking_code} — {matter.commune.committee_name}"
    return queue_email(commune=matter.commune, to=to or matter.email, subject=subject, text=text,
                       html=html, purpose="intake.receipt", obj=matter)
