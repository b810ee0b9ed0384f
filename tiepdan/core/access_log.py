"""The personal-data access log: every read of someone's personal data by staff — a sealed
identity revealed, a matter page with the petitioner's details, a register or recording viewed,
an export — with who, when, from where and why.

Append-only like the audit trail (model and database triggers), but not chained: reads are
frequent and need no order between them, so they take no lock at all.  Its rows hold the type
(``core.audit_types``, ``access=True``) and identifiers only — a tracking code, a page number —
never the personal data that was read.

The Chairman of the commune and the system administrator read it on the page
``/can-bo/xa/<ward>/nhat-ky-truy-cap/`` (``core.views.access_log``, ``Perm.VIEW_ACCESS_LOG``),
through ``entries_for``, which checks that permission itself; that reading is logged here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from . import audit_types
from .access import Perm, check
from .audit import entry_fields
from .models import Commune, PersonalDataAccess


def log_access(
    access_type: str,
    obj: models.Model | None = None,
    *,
    actor: User | AnonymousUser | None,
    commune: Commune | None = None,
    request: HttpRequest | None = None,
    data: Mapping[str, Any] | None = None,
    reason: str = "",
    object_type: str | None = None,
    object_id: str | None = None,
) -> PersonalDataAccess:
    """Write one row for a read of ``obj``'s personal data; refuses a type that is not an access
    type and data without exactly the type's keys."""
    row = PersonalDataAccess(at=timezone.now(), **entry_fields(
        access_type, obj, access=True, actor=actor, commune=commune, request=request, data=data,
        reason=reason, object_type=object_type, object_id=object_id))
    row.save(force_insert=True)
    return row


def entries_for(
    user: User | AnonymousUser,
    commune: Commune,
    *,
    access_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[PersonalDataAccess]:
    """The access log of ``commune``, newest first, narrowed to one type and to the local
    dates ``date_from``–``date_to`` (both included).  Only a holder of ``VIEW_ACCESS_LOG``
    there gets it: anyone else gets ``Forbidden``, before anything is read."""
    check(user, Perm.VIEW_ACCESS_LOG, commune)
    rows = PersonalDataAccess.objects.filter(commune=commune)
    if access_type:
        rows = rows.filter(type=access_type)
    if date_from is not None:
        rows = rows.filter(at__gte=_start_of(date_from))
    if date_to is not None:
        rows = rows.filter(at__lt=_start_of(date_to + dt.timedelta(days=1)))
    return rows.select_related("actor").order_by("-at", "-id")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def access_types() -> list[audit_types.EntryType]:
    """Every type of the access log, by name."""
    return sorted((t for t in audit_types.REGISTRY.values() if t.access), key=lambda t: t.name)
