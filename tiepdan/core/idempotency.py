"""``Idempotency-Key``: a client retrying a write (after a timeout, a dropped connection) gets
the answer of the first attempt instead of a second record.

The key's row is inserted in the same transaction as the write it guards, so the two commit or
roll back together: a stored answer always describes a committed record, and a failed attempt
leaves the key free for the retry.  A concurrent twin blocks on the unique constraint until the
first attempt ends, then replays its answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .client_address import client_address
from .errors import DomainError, InvalidInput
from .models import IdempotencyKey

HEADER = "HTTP_IDEMPOTENCY_KEY"
LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255

Answer = tuple[int, Any]

#: ``openapi_extra`` of an operation that honours the header: documented as a parameter.
OPENAPI_HEADER = {"parameters": [{
    "in": "header", "name": "Idempotency-Key", "required": False,
    "description": "A retry with the same key gets the first answer; the same key with another "
                   "body is a 409 (kept 24 hours)",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}]}


class KeyReused(DomainError):
    status = 409
    code = "idempotency_key_reused"


def request_digest(content: Any) -> str:
    """SHA-256 of a request's content (anything JSON-serialisable, keys sorted)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def key_of(request: HttpRequest) -> str | None:
    key = request.META.get(HEADER)
    if key is None:
        return None
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput(
            _("Idempotency-Key phải có từ 1 đến %(n)s ký tự in được.") % {"n": MAX_KEY_LENGTH},
            code="invalid_idempotency_key")
    return key


def purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete the keys older than ``LIFETIME`` (their answers can no longer be replayed); the
    number deleted (or, with ``dry_run``, that would be).  Run hourly by
    ``core.tasks.purge_idempotency_keys``; ``once`` also ignores an expired key on its own."""
    expired = IdempotencyKey.objects.filter(created_at__lt=(now or timezone.now()) - LIFETIME)
    if dry_run:
        return expired.count()
    deleted, _by_model = expired.delete()
    return deleted


def once(request: HttpRequest, scope: str, content: Any, action: Callable[[], Answer]) -> Answer:
    """Run ``action`` (returning ``(status, body)``) once per Idempotency-Key of this client and
    ``scope``; without the header, simply run it."""
    key = key_of(request)
    if key is None:
        return action()
    client = client_address(request)
    digest = request_digest(content)
    with transaction.atomic():
        IdempotencyKey.objects.filter(client=client, scope=scope, key=key,
                                      created_at__lt=timezone.now() - LIFETIME).delete()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    client=client, scope=scope, key=key, request_digest=digest,
                    status_code=0, response={}, created_at=timezone.now())
        except IntegrityError:
            record = None
        if record is not None:
            status, body = action()
            record.status_code, record.response = status, body
            record.save(update_fields=["status_code", "response"])
            return status, body
    # The key was used: its first attempt has committed (the insert waited for it).
    previous = IdempotencyKey.objects.get(client=client, scope=scope, key=key)
    if previous.request_digest != digest:
        raise KeyReused(_("Idempotency-Key này đã được dùng cho một yêu cầu khác."))
    return previous.status_code, previous.response
