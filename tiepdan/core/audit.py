"""The append-only audit trail: who did what to which record, when, from where and why.

Each entry carries the SHA-256 of its own content and of the previous entry, so an edited, deleted
or inserted row breaks the chain; ``tiepdan audit verify`` walks it.  The database itself refuses
UPDATE and DELETE on the table (triggers, see migration 0002); the model refuses them too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .client_address import client_address
from .models import AuditAction, AuditEntry, Commune

GENESIS = "0" * 64
_ADVISORY_LOCK_KEY = 7_261_301  # serialises appends on PostgreSQL


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None or not request.META.get("REMOTE_ADDR"):
        return None
    return client_address(request)


def _content(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "actor_roles": entry.actor_roles,
        "commune_id": entry.commune_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "summary": entry.summary,
        "reason": entry.reason,
        "ip": entry.ip,
        "prev_hash": entry.prev_hash,
    }


def entry_hash(entry: AuditEntry) -> str:
    canonical = json.dumps(_content(entry), ensure_ascii=False, sort_keys=True,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
    # SQLite runs write transactions one at a time (transaction_mode=IMMEDIATE).


def _roles_text(user: AbstractBaseUser | AnonymousUser | None, commune: Commune | None) -> str:
    if user is None or not user.is_authenticated:
        return ""
    from .access import roles_of

    if commune is not None:
        return ",".join(sorted(roles_of(user, commune)))
    return ",".join(sorted(set(user.staff_roles.values_list("role", flat=True))))


def record(
    action: AuditAction | str,
    obj: models.Model | None = None,
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    commune: Commune | None = None,
    request: HttpRequest | None = None,
    summary: str = "",
    reason: str = "",
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain (inside the caller's transaction, if any)."""
    user = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        entry = AuditEntry(
            seq=seq,
            at=timezone.now(),
            actor=user,
            actor_name=(user.get_username() if user else ""),
            actor_roles=_roles_text(user, commune),
            commune=commune,
            action=str(action),
            object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=object_id or (str(obj.pk) if obj is not None else ""),
            summary=summary[:500],
            reason=reason[:1000],
            ip=_client_ip(request),
            prev_hash=prev_hash,
        )
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain; report the first entry whose content or link does not match."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    queryset = AuditEntry.objects.order_by("seq")
    for entry in queryset.iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainReport(False, checked, expected_seq,
                               f"mất mục số {expected_seq} (gặp mục {entry.seq})")
        if entry.prev_hash != expected_prev:
            return ChainReport(False, checked, entry.seq, "liên kết với mục trước không khớp")
        if entry_hash(entry) != entry.hash:
            return ChainReport(False, checked, entry.seq, "nội dung đã bị sửa đổi")
        expected_prev, expected_seq = entry.hash, entry.seq + 1
        checked += 1
    return ChainReport(True, checked)
