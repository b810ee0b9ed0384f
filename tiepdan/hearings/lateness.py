"""The late-date rule: a hearing set (created or moved) to a time whose legal notice periods
are already past may only be held on the Chairman's decision, with a written reason — the same
rule as confirming late (planning.confirm_hearing).  NĐ 154/2026 Đ23 and Quy chế An Lão Đ5–6:
notify the parties at least 05 working days before, invite 03 days before, report to the city
05 days before, test the link 01 working day before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from tiepdan.core.access import Perm, has_perm
from tiepdan.core.errors import Forbidden
from tiepdan.core.models import Commune
from tiepdan.workdays.deadlines import VN_TZ

from . import milestones
from .errors import field_error


@dataclass(frozen=True)
class BrokenPeriod:
    """One legal period that a proposed time does not leave: its milestone and due date."""

    key: str
    label: str
    due_at: dt.datetime
    has_time: bool

    @property
    def due_text(self) -> str:
        local = self.due_at.astimezone(VN_TZ)
        return local.strftime("%H:%M %d/%m/%Y") if self.has_time else local.strftime("%d/%m/%Y")

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "due": self.due_text}


def broken_periods(starts_at: dt.datetime, city_leaders: bool,
                   now: dt.datetime | None = None) -> list[BrokenPeriod]:
    """The milestones of the timeline for ``starts_at`` whose due moment is already past."""
    now = now or timezone.now()
    found = []
    for key, deadline in milestones.deadlines_for(starts_at, city_leaders).items():
        _day, due_at, has_time = milestones.due_moment(deadline)
        if due_at < now:
            found.append(BrokenPeriod(key, milestones.label(key), due_at, has_time))
    return found


def describe(periods: list[BrokenPeriod] | list[dict[str, Any]]) -> str:
    """"Thông báo … (hạn 08/12/2026); Phát hành Giấy mời (hạn 12/12/2026)"."""
    rows = [p.as_json() if isinstance(p, BrokenPeriod) else p for p in periods]
    return "; ".join(_("%(label)s (hạn %(due)s)") % row for row in rows)


def check(commune: Commune, actor: User, starts_at: dt.datetime,
          city_leaders: bool, reason: str) -> tuple[list[dict[str, Any]], str]:
    """Apply the rule to a proposed time: returns (the broken periods as recorded, the reason)
    — both empty when the time leaves every period; raises when it does not and the actor is
    not the Chairman, or gave no reason."""
    periods = broken_periods(starts_at, city_leaders)
    if not periods:
        return [], ""
    broken = describe(periods)
    if not has_perm(actor, Perm.DECIDE_HEARING, commune):  # a permission: 403, not a conflict
        raise Forbidden(
            _("Thời gian này đã quá các thời hạn theo quy định: %(periods)s. Chỉ Chủ tịch UBND "
              "xã được quyết định tổ chức buổi tiếp vào thời gian này, kèm lý do.")
            % {"periods": broken}, code="late")
    if not (reason or "").strip():
        raise field_error("late_reason", _(
            "Thời gian này đã quá các thời hạn theo quy định: %(periods)s. Nêu lý do quyết "
            "định tổ chức buổi tiếp vào thời gian này.") % {"periods": broken},
            "late_reason_required")
    return [p.as_json() for p in periods], reason.strip()
