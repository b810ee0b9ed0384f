"""Kỳ báo cáo: a month, a quarter, a half-year or a year, with its Vietnamese label and its
bounds in the commune's time (Asia/Ho_Chi_Minh).

``parse_period`` turns a query (``kind``, ``year``, ``number``) into a ``Period`` or raises
``InvalidInput`` with field errors: an unknown kind, a number outside the kind's range, a year
out of range, or a period that has not started yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tiepdan.core.errors import InvalidInput

FIRST_YEAR = 2020
ROMAN = ("I", "II", "III", "IV")


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


#: (label, months per period) of each kind; the label is what the form shows.
KIND_INFO: dict[PeriodKind, tuple[Any, int]] = {
    PeriodKind.MONTH: (gettext_lazy("Tháng"), 1),
    PeriodKind.QUARTER: (gettext_lazy("Quý"), 3),
    PeriodKind.HALF: (gettext_lazy("6 tháng"), 6),
    PeriodKind.YEAR: (gettext_lazy("Năm"), 12),
}


@dataclass(frozen=True)
class Period:
    """One reporting period; build it with ``Period.of`` (which validates) or ``parse_period``."""

    kind: PeriodKind
    year: int
    number: int = 1  # month 1–12, quarter 1–4, half 1–2; 1 for a year

    @classmethod
    def of(cls, kind: str, year: int, number: int | None = None, *,
           today: dt.date | None = None) -> Period:
        errors: dict[str, list[dict[str, str]]] = {}
        try:
            kind = PeriodKind(kind)
        except ValueError:
            raise InvalidInput(_("Kỳ báo cáo không hợp lệ."), field_errors={"kind": [{
                "code": "invalid", "message": _("Chọn tháng, quý, 6 tháng hoặc năm.")}]}
            ) from None
        count = 12 // KIND_INFO[kind][1]
        number = 1 if kind == PeriodKind.YEAR else number
        today = today or timezone.localdate()
        if number is None or not 1 <= number <= count:
            errors["number"] = [{"code": "invalid", "message": {
                PeriodKind.MONTH: _("Tháng phải từ 1 đến 12."),
                PeriodKind.QUARTER: _("Quý phải từ 1 đến 4."),
                PeriodKind.HALF: _("Chọn 6 tháng đầu năm (1) hoặc 6 tháng cuối năm (2)."),
            }[kind]}]
        if not FIRST_YEAR <= year <= today.year:
            errors["year"] = [{"code": "invalid", "message": _(
                "Năm báo cáo phải từ %(first)s đến %(last)s.") % {
                "first": FIRST_YEAR, "last": today.year}}]
        if errors:
            raise InvalidInput(_("Kỳ báo cáo không hợp lệ."), field_errors=errors)
        # No error: every part was given and parsed (the checks above do not narrow types).
        period = cls(kind, year, number)  # type: ignore[arg-type]
        if period.start > today:
            raise InvalidInput(_("Kỳ báo cáo chưa bắt đầu."), field_errors={"number": [{
                "code": "future", "message": _(
                    "%(period)s chưa bắt đầu; chỉ lập báo cáo cho kỳ đã hoặc đang diễn ra.")
                % {"period": period.label}}]})
        return period

    # Bounds ------------------------------------------------------------------------------------
    @property
    def months(self) -> int:
        return KIND_INFO[self.kind][1]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, (self.number - 1) * self.months + 1, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        month = self.start.month + self.months
        after = dt.date(self.year + 1, 1, 1) if month > 12 else dt.date(self.year, month, 1)
        return after - dt.timedelta(days=1)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as aware datetimes at local midnight, for ``received_at`` and the like."""
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, after

    def is_complete(self, today: dt.date | None = None) -> bool:
        return self.end < (today or timezone.localdate())

    # Labels ------------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """"Tháng 3 năm 2026", "Quý IV năm 2026", "6 tháng đầu năm 2026", "Năm 2026"."""
        values = {"year": self.year, "number": self.number}
        if self.kind == PeriodKind.MONTH:
            return _("Tháng %(number)s năm %(year)s") % values
        if self.kind == PeriodKind.QUARTER:
            return _("Quý %(roman)s năm %(year)s") % {**values, "roman": ROMAN[self.number - 1]}
        if self.kind == PeriodKind.HALF:
            if self.number == 1:
                return _("6 tháng đầu năm %(year)s") % values
            return _("6 tháng cuối năm %(year)s") % values
        return _("Năm %(year)s") % values

    @property
    def range_text(self) -> str:
        """"từ ngày 01/10/2026 đến ngày 31/12/2026"."""
        return _("từ ngày %(start)s đến ngày %(end)s") % {
            "start": f"{self.start:%d/%m/%Y}", "end": f"{self.end:%d/%m/%Y}"}

    @property
    def slug(self) -> str:
        """For file names: "2026-q4", "2026-h1", "2026-03", "2026"."""
        return {
            PeriodKind.MONTH: f"{self.year}-{self.number:02d}",
            PeriodKind.QUARTER: f"{self.year}-q{self.number}",
            PeriodKind.HALF: f"{self.year}-h{self.number}",
            PeriodKind.YEAR: f"{self.year}",
        }[self.kind]

    def as_query(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "year": self.year, "number": self.number}


def current_period(kind: PeriodKind = PeriodKind.QUARTER, today: dt.date | None = None
                   ) -> Period:
    today = today or timezone.localdate()
    months = KIND_INFO[kind][1]
    return Period(kind, today.year, (today.month - 1) // months + 1)


def parse_period(params: Mapping[str, Any], today: dt.date | None = None) -> Period:
    """The period of a query; the current quarter when none is given. ``InvalidInput`` (with
    field errors) for a bad or future period."""
    today = today or timezone.localdate()
    raw_kind = str(params.get("kind") or "").strip()
    raw_year = str(params.get("year") or "").strip()
    raw_number = str(params.get("number") or "").strip()
    if not (raw_kind or raw_year or raw_number):
        return current_period(today=today)
    kind = raw_kind or PeriodKind.QUARTER.value
    errors = {}
    year = number = None
    try:
        year = int(raw_year) if raw_year else today.year
    except ValueError:
        errors["year"] = [{"code": "invalid", "message": _("Năm phải là một số.")}]
    try:
        number = int(raw_number) if raw_number else None
    except ValueError:
        errors["number"] = [{"code": "invalid", "message": _("Số kỳ phải là một số.")}]
    if errors:
        raise InvalidInput(_("Kỳ báo cáo không hợp lệ."), field_errors=errors)
    # No error: every part was given and parsed (the checks above do not narrow types).
    return Period.of(kind, year, number, today=today)  # type: ignore[arg-type]
