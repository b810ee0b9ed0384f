"""Short personal links for SMS: ``/s/<kind><id in base62><8-character signature>``.

An SMS has 160 characters (GSM-7); a full signed link (``/ho-so/<id>:<43 characters>/``) eats a
third of them.  A short link carries one letter for what it opens, the object's id in base62 and
the first 8 characters of an HMAC (Django's signing, keyed by ``SECRET_KEY``) over both: 48 bits,
not guessable, and a link of one kind never opens an object of another.  It leads (a redirect)
to the full personal page, whose own signed link is built fresh, so the page keeps its rules
(an invitation expires when its hearing is over).

Apps declare what a kind opens (:func:`register_kind`, in their ``AppConfig.ready()``) so that
core knows nothing of them.  Every absolute link is on the one public address
(``core.public_urls``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from .errors import NotFound
from .public_urls import absolute

SALT = "tiepdan.core.short_links"
SIGNATURE_LENGTH = 8
PREFIX = "/s/"
MAX_TOKEN_LENGTH = 40  # a kind, an id below 62**30 and a signature; longer is never ours

#: The path an object id opens, or None when the object no longer exists.
Target = Callable[[int], "str | None"]
_KINDS: dict[str, Target] = {}


def register_kind(kind: str, target: Target) -> None:
    """Declare that links of ``kind`` (one ASCII letter) open ``target(id)``."""
    if len(kind) != 1 or not kind.isascii() or not kind.isalpha():
        raise ValueError(f"a short-link kind is one ASCII letter, not {kind!r}")
    if _KINDS.get(kind, target) is not target:
        raise ValueError(f"short-link kind {kind!r} is already taken")
    _KINDS[kind] = target


def _signature(body: str) -> str:
    return signing.Signer(salt=SALT).signature(body)[:SIGNATURE_LENGTH]


def token(kind: str, pk: int) -> str:
    body = kind + signing.b62_encode(pk)
    return body + _signature(body)


def short_path(kind: str, pk: int) -> str:
    if kind not in _KINDS:
        raise ValueError(f"unknown short-link kind {kind!r}")
    return f"{PREFIX}{token(kind, pk)}"


def short_url(kind: str, pk: int) -> str:
    """The absolute short link of object ``pk`` of ``kind`` (for SMS and ZNS)."""
    return absolute(short_path(kind, pk))


def resolve(value: str) -> str:
    """The path a short-link token opens; ``NotFound`` for a tampered, truncated or unknown one
    (one answer for all, so nothing can be probed)."""
    not_found = NotFound(
        _(
            "Đường dẫn không đúng hoặc không còn hiệu lực. Vui lòng kiểm tra "
            "lại tin nhắn, hoặc tra cứu hồ sơ bằng mã hồ sơ và số điện thoại."
        )
    )
    if not (SIGNATURE_LENGTH + 2 <= len(value) <= MAX_TOKEN_LENGTH):
        raise not_found
    body, signature = value[:-SIGNATURE_LENGTH], value[-SIGNATURE_LENGTH:]
    target = _KINDS.get(body[0])
    if target is None or not constant_time_compare(signature, _signature(body)):
        raise not_found
    try:
        pk = signing.b62_decode(body[1:])
    except (ValueError, KeyError):
        raise not_found from None
    path = target(pk) if pk > 0 else None
    if path is None:
        raise not_found
    return path
