"""A hearing's history (HearingChange rows): every time set or moved, confirmed, cancelled or
recorded as held — who, when, why, the broken legal periods a late time was decided over."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from .models import ChangeKind, Hearing, HearingChange

#: Changes that set the hearing's time (and may carry a late decision).
TIME_SETTING = (ChangeKind.CREATED, ChangeKind.RESCHEDULED)


def record(hearing: Hearing, kind: ChangeKind, *, actor: User | None,
           reason: str = "", previous: tuple[dt.datetime, dt.datetime] | None = None,
           late_periods: list[dict[str, Any]] | None = None) -> HearingChange:
    return HearingChange.objects.create(
        hearing=hearing, kind=kind, version=hearing.version, at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason, previous_starts_at=previous[0] if previous else None,
        previous_ends_at=previous[1] if previous else None,
        starts_at=hearing.starts_at, ends_at=hearing.ends_at, late_periods=late_periods or [])


def late_decision(hearing: Hearing) -> HearingChange | None:
    """The Chairman's decision to hold the current version at a late time, if any."""
    change = (HearingChange.objects.filter(hearing=hearing, version=hearing.version,
                                           kind__in=TIME_SETTING)
              .order_by("-at", "-id").first())
    return change if change is not None and change.late_periods else None


def of(hearing: Hearing) -> list[HearingChange]:
    return list(HearingChange.objects.filter(hearing=hearing).select_related("actor"))
