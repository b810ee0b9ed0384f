"""The citizen's own link to the status page of their matter, sent in the receipt mail: signed,
so that it opens the one matter it was made for (tracking codes cannot be probed with it)."""

from __future__ import annotations

from django.core import signing
from django.utils.translation import gettext as _

from tiepdan.core.errors import NotFound
from tiepdan.core.public_urls import absolute_reverse

from .models import Matter

SALT = "tiepdan.intake.status"


def status_token(matter: Matter) -> str:
    return signing.dumps({"m": matter.pk, "c": matter.tracking_code}, salt=SALT, compress=True)


def status_url(matter: Matter) -> str:
    """The absolute link to ``matter``'s status page (on the public address)."""
    return absolute_reverse("intake:status", args=[status_token(matter)])


def matter_from_status_token(token: str) -> Matter:
    """The matter of a valid link; the link names a matter and its code, both must match.
    No expiry: a matter may stay open for months, and the page shows only its status."""
    invalid = NotFound(_("Đường dẫn tra cứu không hợp lệ."))
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise invalid from None
    matter = (Matter.objects.select_related("commune")
              .filter(pk=data.get("m"), tracking_code=data.get("c")).first())
    if matter is None:
        raise invalid
    return matter
