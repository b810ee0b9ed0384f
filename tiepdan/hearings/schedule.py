"""The Chairman's reception calendar: periodic days (at least 2 a month from 01/7/2026, Luật
136/2025), published at least 5 working days ahead (Luật Tiếp công dân Đ24 k4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from tiepdan.core.models import Commune
from tiepdan.workdays.deadlines import VN_TZ, compute
from tiepdan.workdays.services import current_calendar, get_rule

from .models import Hearing, HearingStatus, ReceptionKind

MIN_PERIODIC_DAYS_PER_MONTH = 2
RULE_FROM = dt.date(2026, 7, 1)


@dataclass(frozen=True)
class MonthWarning:
    year: int
    month: int
    periodic_days: int

    @property
    def text(self) -> str:
        return ngettext(
            "Tháng %(month)s mới có %(days)s ngày tiếp định kỳ; Chủ tịch UBND xã phải tiếp ít "
            "nhất %(min)s ngày/tháng (Luật 136/2025/QH15).",
            "Tháng %(month)s mới có %(days)s ngày tiếp định kỳ; Chủ tịch UBND xã phải tiếp ít "
            "nhất %(min)s ngày/tháng (Luật 136/2025/QH15).",
            self.periodic_days,
        ) % {"month": f"{self.month:02d}/{self.year}", "days": self.periodic_days,
             "min": MIN_PERIODIC_DAYS_PER_MONTH}


def month_warnings(commune: Commune, months: list[tuple[int, int]]) -> list[MonthWarning]:
    warnings = []
    for year, month in months:
        if dt.date(year, month, 1) < RULE_FROM.replace(day=1):
            continue
        days = {
            h.starts_at.astimezone(VN_TZ).date()
            for h in Hearing.objects.filter(
                commune=commune, kind=ReceptionKind.PERIODIC,
                status__in=[HearingStatus.DRAFT, HearingStatus.CONFIRMED, HearingStatus.HELD],
                starts_at__year=year, starts_at__month=month)
        }
        if len(days) < MIN_PERIODIC_DAYS_PER_MONTH:
            warnings.append(MonthWarning(year, month, len(days)))
    return warnings


def next_months(count: int = 3, today: dt.date | None = None) -> list[tuple[int, int]]:
    today = today or timezone.localdate()
    result, year, month = [], today.year, today.month
    for _ in range(count):
        result.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def publish_deadline(hearing: Hearing) -> dt.date:
    """The last day the schedule may be published (05 working days before)."""
    return compute(get_rule("publish_schedule"), hearing.starts_at, current_calendar()).due


def public_schedule(commune: Commune) -> QuerySet[Hearing]:
    """Upcoming published hearings; no personal data is ever read from them for public pages."""
    return Hearing.objects.filter(
        commune=commune, published=True,
        status__in=[HearingStatus.DRAFT, HearingStatus.CONFIRMED],
        ends_at__gte=timezone.now()).only(
        "id", "starts_at", "ends_at", "title", "kind", "status", "commune_id").order_by(
        "starts_at")
