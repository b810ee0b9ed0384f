"""The append-only audit trail: who did what to which record, when, from where and why.

Every entry has a registered type (``core.audit_types``) and the data that type expects; its
display text is rendered from them.  Entries are hash-chained per commune (chain
``commune:<ward code>``; entries of no commune go to ``system``): each carries the SHA-256 of its
own content and of the previous entry of its chain, so an edited, deleted or inserted row breaks
that chain, and an append locks only its own chain — two communes never wait on each other.
``tiepdan audit verify`` walks every chain and the frozen legacy chain.  The database refuses
UPDATE and DELETE on the tables (triggers, migration core 0007); the models refuse them too.
Reads of personal data go to ``core.access_log`` instead.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from . import audit_types
from .access import roles_of
from .client_address import client_address
from .models import SYSTEM_CHAIN, AuditEntry, Commune, LegacyAuditEntry

GENESIS = "0" * 64
_LOCK_NAMESPACE = 7_261_301  # first key of pg_advisory_xact_lock(int, int); second: the chain


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None or not request.META.get("REMOTE_ADDR"):
        return None
    return client_address(request)


def chain_of(commune_ward_code: int | None) -> str:
    return f"commune:{commune_ward_code}" if commune_ward_code is not None else SYSTEM_CHAIN


def _lock_key(chain: str) -> int:
    # Ward codes are at most five digits, so the key is exact: no two chains share a lock.
    return int(chain.split(":", 1)[1]) if chain.startswith("commune:") else 0


def content(row: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed fields of an entry (a model instance's values or a migration's dict)."""
    at = row["at"]
    return {
        "chain": row["chain"],
        "seq": row["seq"],
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": row["actor_id"],
        "actor_name": row["actor_name"],
        "actor_roles": row["actor_roles"],
        "commune_id": row["commune_id"],
        "type": row["type"],
        "data": row["data"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "reason": row["reason"],
        "ip": row["ip"],
        "prev_hash": row["prev_hash"],
    }


def _digest(value: dict[str, Any]) -> str:
    canonical = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hash_of(row: Mapping[str, Any]) -> str:
    """The SHA-256 of an entry's content (``content``), as stored in its ``hash``."""
    return _digest(content(row))


def entry_hash(entry: AuditEntry) -> str:
    return hash_of(entry.__dict__)


def _lock_chain_head(chain: str) -> tuple[int, str] | None:
    """Lock ``chain`` until the end of the transaction and read its last entry's sequence number
    and hash (``None`` for an empty chain): one round trip on every append."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)  # the model's, not input
    last = f"SELECT seq, hash FROM {table} WHERE chain = %s ORDER BY seq DESC LIMIT 1"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two statements in one message (client-side binding, Django's default): the second
            # takes its snapshot after the first has the lock, so it sees the entry the previous
            # holder committed.
            cursor.execute(f"SELECT pg_advisory_xact_lock(%s, %s); {last}",
                           [_LOCK_NAMESPACE, _lock_key(chain), chain])
            cursor.nextset()
        else:
            # SQLite runs write transactions one at a time (transaction_mode=IMMEDIATE).
            cursor.execute(last, [chain])
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else None


def roles_text(user: User | AnonymousUser | None, commune: Commune | None) -> str:
    if user is None or not user.is_authenticated:
        return ""
    if commune is not None:
        return ",".join(sorted(roles_of(user, commune)))
    return ",".join(sorted(set(user.staff_roles.values_list("role", flat=True))))


def entry_fields(
    entry_type: str,
    obj: models.Model | None,
    *,
    access: bool,
    actor: User | AnonymousUser | None,
    commune: Commune | None,
    request: HttpRequest | None,
    data: Mapping[str, Any] | None,
    reason: str,
    object_type: str | None,
    object_id: str | None,
) -> dict[str, Any]:
    """The fields an audit entry (``access=False``) or an access-log row (``access=True``) shares:
    who, where, what and why.  A type of the other log, an unknown type or data without exactly
    the type's keys is refused."""
    kind = audit_types.get(entry_type)
    if kind.access != access:
        other = "the access log" if kind.access else "the audit trail"
        raise audit_types.UnknownEntryType(f"{entry_type} belongs to {other}")
    user = actor if actor is not None and actor.is_authenticated else None
    return {
        "actor": user,
        "actor_name": user.get_username() if user else "",
        "actor_roles": roles_text(user, commune),
        "commune": commune,
        "type": entry_type,
        "data": audit_types.clean_data(kind, data),
        "object_type": object_type or (obj._meta.label_lower if obj is not None else ""),
        "object_id": object_id or (str(obj.pk) if obj is not None else ""),
        "reason": reason[:1000],
        "ip": client_ip(request),
    }


def record(
    entry_type: str,
    obj: models.Model | None = None,
    *,
    actor: User | AnonymousUser | None,
    commune: Commune | None = None,
    request: HttpRequest | None = None,
    data: Mapping[str, Any] | None = None,
    reason: str = "",
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEntry:
    """Append one entry of ``entry_type`` with ``data`` to its commune's chain (inside the
    caller's transaction, if any).  An unknown type, a read of personal data (those go to
    ``access_log.log_access``) or data without exactly the type's keys is refused."""
    fields = entry_fields(entry_type, obj, access=False, actor=actor, commune=commune,
                          request=request, data=data, reason=reason, object_type=object_type,
                          object_id=object_id)
    chain = chain_of(commune.ward_code if commune is not None else None)
    # No savepoint inside the caller's transaction (two statements less): an entry that cannot
    # be written fails the whole change, as it must.
    with transaction.atomic(savepoint=False):
        last = _lock_chain_head(chain)
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        entry = AuditEntry(chain=chain, seq=seq, at=timezone.now(), prev_hash=prev_hash,
                           **fields)
        entry.hash = entry_hash(entry)
        entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    chain: str | None = None  # the chain that broke
    first_bad_seq: int | None = None
    problem: str = ""
    chains: int = 0


def _walk(chain: str, entries: Iterator[AuditEntry]) -> tuple[int, ChainReport | None]:
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for entry in entries:
        if entry.seq != expected_seq:
            return checked, ChainReport(False, checked, chain, expected_seq,
                                        f"mất mục số {expected_seq} (gặp mục {entry.seq})")
        if entry.prev_hash != expected_prev:
            return checked, ChainReport(False, checked, chain, entry.seq,
                                        "liên kết với mục trước không khớp")
        if entry_hash(entry) != entry.hash:
            return checked, ChainReport(False, checked, chain, entry.seq,
                                        "nội dung đã bị sửa đổi")
        expected_prev, expected_seq = entry.hash, entry.seq + 1
        checked += 1
    return checked, None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk every chain and the frozen legacy chain; report the first entry, and its chain,
    whose content or link does not match."""
    total = 0
    chains = list(AuditEntry.objects.order_by("chain").values_list("chain", flat=True).distinct())
    for chain in chains:
        rows = AuditEntry.objects.filter(chain=chain).order_by("seq").iterator(batch_size)
        checked, broken = _walk(chain, rows)
        total += checked
        if broken is not None:
            return ChainReport(False, total, chain, broken.first_bad_seq, broken.problem,
                               len(chains))
    checked, broken = verify_legacy(batch_size)
    total += checked
    if broken is not None:
        return ChainReport(False, total, broken.chain, broken.first_bad_seq, broken.problem,
                           len(chains))
    return ChainReport(True, total, chains=len(chains))


# -- The legacy chain (before typed entries), frozen by migration core 0007 ----------------------

LEGACY_CHAIN = "legacy"


def legacy_hash(entry: LegacyAuditEntry) -> str:
    return _digest({
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
    })


def verify_legacy(batch_size: int = 5000) -> tuple[int, ChainReport | None]:
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    for entry in LegacyAuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        problem = None
        if entry.seq != expected_seq:
            problem = f"mất mục số {expected_seq} (gặp mục {entry.seq})"
        elif entry.prev_hash != expected_prev:
            problem = "liên kết với mục trước không khớp"
        elif legacy_hash(entry) != entry.hash:
            problem = "nội dung đã bị sửa đổi"
        if problem:
            bad = expected_seq if entry.seq != expected_seq else entry.seq
            return checked, ChainReport(False, checked, LEGACY_CHAIN, bad, problem)
        expected_prev, expected_seq = entry.hash, entry.seq + 1
        checked += 1
    return checked, None
