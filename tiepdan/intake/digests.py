"""Blind indexes of every matter (Luật Tố cáo Đ9, Đ56): keyed digests of the ID and phone
numbers, so that the matters of one citizen — sealed denunciations included, whose columns hold
only masks — are found without decrypting anything.

The HMAC key is ``settings.IDENTITY_DIGEST_KEY`` or, when empty, derived from ``SECRET_KEY``; it
is independent of the Fernet keys of ``intake.identity.keys``, so rotating those keeps the
digests.  Set by ``Matter.save`` and by registration; recomputed by ``tiepdan identity
rebuild-digests`` (``intake.identity.sealing.backfill_digests``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ValidationError

from .id_numbers import normalize_mobile

_DIGEST_INFO = b"tiepdan.intake.identity-digest.v1"
_ID_SEPARATORS = re.compile(r"[\s.\-]")
_E164_VN = re.compile(r"\+84\d{9,10}")


@lru_cache(maxsize=4)
def _derived_digest_key(secret: str, configured: str) -> bytes:
    if configured:
        return configured.encode("utf-8")
    # HKDF from ``cryptography`` turns SECRET_KEY into a separate key for this one purpose.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=_DIGEST_INFO).derive(secret.encode("utf-8"))


def digest_key() -> bytes:
    """The HMAC-SHA256 key of the blind indexes: ``IDENTITY_DIGEST_KEY``, or derived from
    ``SECRET_KEY``.  Independent of the Fernet keys, so that rotating them keeps the digests."""
    return _derived_digest_key(settings.SECRET_KEY, settings.IDENTITY_DIGEST_KEY)


def _phone_key(phone: str) -> str:
    if _E164_VN.fullmatch(phone or ""):  # already normalised (registration): skip the parser
        return phone
    try:
        return normalize_mobile(phone)
    except ValidationError:
        return "".join(c for c in phone or "" if c.isdigit() or c == "+")


def _digest(kind: bytes, value: str) -> str:
    if not value:
        return ""
    message = kind + b"\x00" + value.encode("utf-8")
    return hmac.new(digest_key(), message, hashlib.sha256).hexdigest()


def citizen_digests(id_number: str, phone: str) -> tuple[str, str]:
    """(ID digest, phone digest): HMAC-SHA256 (stdlib ``hmac``) of the normalised numbers under
    :func:`digest_key`.  Equal numbers give equal digests; the digests alone tell nothing.
    Empty input gives an empty digest."""
    id_key = _ID_SEPARATORS.sub("", id_number or "").upper()
    return _digest(b"id", id_key), _digest(b"phone", _phone_key(phone))
