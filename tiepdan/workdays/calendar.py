"""Vietnamese public-sector working days: the ``holidays`` package plus local overrides.

Pure and Django-free.  The baseline is ``holidays.country_holidays("VN", language="vi")``:
public holidays of BLLĐ 2019 Đ112 with lunar Tết, Giỗ Tổ, nghỉ bù (Đ111 k3) and the swapped
days (``weekend_workdays``) the package knows.  Overrides add what the package lacks (swaps
announced each year by the Ministry, a holiday not yet law) on top of it.

Offices work Monday to Friday (40 hours/week); Saturday and Sunday are off except make-up
Saturdays (ngày làm bù).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import holidays
from holidays.holiday_base import HolidayBase

# Years populated eagerly, so the shared calendar is not mutated lazily while being read.
DEFAULT_YEARS = range(2024, 2032)

WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")

TET = "Tết Nguyên đán"
MAKE_UP_DAY_OFF = "Nghỉ hoán đổi"
# The package's Vietnamese names (locale "vi") -> the names used in our documents.
_NAMES = {
    "Tết Dương lịch": "Tết Dương lịch",
    "Ngày Giỗ Tổ Hùng Vương": "Giỗ Tổ Hùng Vương",
    "Ngày Chiến thắng": "Ngày Giải phóng miền Nam, thống nhất đất nước",
    "Ngày Quốc tế Lao động": "Ngày Quốc tế Lao động",
    "Quốc khánh": "Quốc khánh",
    "Ngày Văn hóa Việt Nam": "Ngày Văn hóa Việt Nam",
}
_NAME_DELIMITER = "; "  # holidays.constants.HOLIDAY_NAME_DELIMITER
# Between our names; not ", " because one name contains a comma.
NAME_SEPARATOR = "; "


class OverrideKind(StrEnum):
    DAY_OFF = "day_off"  # an extra day off (e.g. a swapped weekday)
    WORKING_DAY = "working_day"  # a worked day (e.g. a make-up Saturday)
    REMOVE_HOLIDAY = "remove_holiday"  # the package lists a holiday that is not (yet) law


@dataclass(frozen=True)
class Override:
    date: date
    kind: OverrideKind
    name: str = ""
    legal_reference: str = ""


@dataclass(frozen=True)
class NonWorkingDay:
    date: date
    holiday_names: tuple[str, ...]  # empty for an ordinary weekend

    @property
    def is_holiday(self) -> bool:
        return bool(self.holiday_names)

    @property
    def name(self) -> str:
        """The holiday name(s), or the weekday name for an ordinary weekend."""
        return NAME_SEPARATOR.join(self.holiday_names) or weekday_name(self.date)


@dataclass(frozen=True)
class HolidayRange:
    start: date
    end: date
    names: tuple[str, ...]


class CalendarConflictError(ValueError):
    """The same date is declared both a day off and a working day."""

    def __init__(self, days: Iterable[date]) -> None:
        self.days = sorted(days)
        listed = ", ".join(format_date(d) for d in self.days)
        super().__init__(f"Ngày {listed} vừa là ngày nghỉ vừa là ngày làm việc.")


def format_date(d: date, *, with_year: bool = True) -> str:
    return d.strftime("%d/%m/%Y" if with_year else "%d/%m")


def weekday_name(d: date) -> str:
    return WEEKDAY_NAMES[d.weekday()]


def vietnamese_holiday_names(raw: str) -> tuple[str, ...]:
    """Map the package's name(s) for one date to the names used in our documents."""
    names: list[str] = []
    for part in raw.split(_NAME_DELIMITER):
        name = part.replace(" (dự kiến)", "").replace(", dự kiến)", ")").strip()
        observed = name.endswith(" (nghỉ bù)")
        name = name.removesuffix(" (nghỉ bù)")
        if name == "Tết Dương lịch":
            mapped = name
        elif "Tết" in name:  # "29 Tết", "Giao thừa Tết Nguyên Đán", "Mùng hai Tết Nguyên Đán"…
            mapped = TET
        elif name.startswith("Ngày nghỉ (thay cho ngày"):
            mapped = MAKE_UP_DAY_OFF
        else:
            mapped = _NAMES.get(name, name)
        if observed:
            mapped = f"Nghỉ bù {mapped}"
        if mapped not in names:
            names.append(mapped)
    return tuple(names)


def find_conflicts(overrides: Iterable[Override]) -> set[date]:
    """Dates declared a day off and also worked (or not a holiday)."""
    kinds: dict[date, set[OverrideKind]] = defaultdict(set)
    for override in overrides:
        kinds[override.date].add(OverrideKind(override.kind))
    return {
        d
        for d, ks in kinds.items()
        if OverrideKind.DAY_OFF in ks
        and ks & {OverrideKind.WORKING_DAY, OverrideKind.REMOVE_HOLIDAY}
    }


def baseline_holidays(years: Iterable[int] = DEFAULT_YEARS) -> HolidayBase:
    return holidays.country_holidays("VN", years=list(years), language="vi")


class WorkCalendar:
    """Working days of a Vietnamese state office: the package's calendar plus overrides."""

    def __init__(
        self, overrides: Iterable[Override] = (), *, years: Iterable[int] = DEFAULT_YEARS
    ) -> None:
        self.overrides: tuple[Override, ...] = tuple(overrides)
        conflicts = find_conflicts(self.overrides)
        if conflicts:
            raise CalendarConflictError(conflicts)
        all_years = set(years) | {o.date.year for o in self.overrides}
        # Populate every touched year first, so a later lazy population cannot undo an override.
        self._holidays = baseline_holidays(sorted(all_years))
        self._extra_days_off: dict[date, str] = {}  # override name, kept out of name mapping
        for override in self.overrides:
            self._apply(override)
        #: deadlines.compute's results for this calendar, by (rule, trigger day).
        self.deadline_memo: dict[tuple[Any, date], Any] = {}

    def _apply(self, override: Override) -> None:
        h, d = self._holidays, override.date
        if override.kind == OverrideKind.DAY_OFF:
            # The package splits names on "; ".
            name = (override.name or MAKE_UP_DAY_OFF).replace(";", ",")
            self._extra_days_off[d] = name
            h[d] = name
            h.weekend_workdays.discard(d)
        elif override.kind == OverrideKind.WORKING_DAY:
            h.pop(d, "")
            if h.is_weekend(d):
                h.weekend_workdays.add(d)
        else:
            h.pop(d, "")

    # Queries --------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        return self._holidays.is_working_day(d)

    def is_make_up_day(self, d: date) -> bool:
        """A weekend day that is worked (ngày làm bù)."""
        return self._holidays.is_weekend(d) and self.is_working_day(d)

    def holiday_names(self, d: date) -> tuple[str, ...]:
        raw = self._holidays.get(d, "")
        extra = self._extra_days_off.get(d)
        parts = [p for p in raw.split(_NAME_DELIMITER) if p and p != extra]
        names = vietnamese_holiday_names(_NAME_DELIMITER.join(parts)) if parts else ()
        if not extra:
            return names
        # The override's own name replaces the package's generic one for the same swap.
        return (*(n for n in names if n not in (MAKE_UP_DAY_OFF, extra)), extra)

    def holiday_name(self, d: date) -> str | None:
        """The Vietnamese name of the holiday on ``d``; None on working days and plain weekends."""
        return NAME_SEPARATOR.join(self.holiday_names(d)) or None

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (before it when n < 0).

        The start day itself is not counted (BLDS 2015 Đ147); n = 0 gives ``d`` if it is a
        working day, else the next working day.
        """
        return self._holidays.get_nth_working_day(d, n)

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the next one (BLDS 2015 Đ148 k5)."""
        return self._holidays.get_nth_working_day(d, 0)

    def previous_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the closest earlier one."""
        return d if self.is_working_day(d) else self._holidays.get_nth_working_day(d, -1)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start).

        The inverse of :meth:`add_working_days` when ``start`` is a working day.
        """
        if start == end:
            return 0
        if start < end:
            return self._holidays.get_working_days_count(start + timedelta(days=1), end)
        return -self._holidays.get_working_days_count(end, start - timedelta(days=1))

    def non_working_days(self, start: date, end: date) -> list[NonWorkingDay]:
        """Days off in [start, end], holidays named, ordinary weekends by their weekday."""
        days = []
        for offset in range((end - start).days + 1):
            d = start + timedelta(days=offset)
            if not self.is_working_day(d):
                days.append(NonWorkingDay(d, self.holiday_names(d)))
        return days

    def holidays_in_year(self, year: int) -> list[NonWorkingDay]:
        """Holidays and extra days off of a year (ordinary weekends left out)."""
        days = self.non_working_days(date(year, 1, 1), date(year, 12, 31))
        return [day for day in days if day.is_holiday]

    def make_up_days(self, start: date, end: date) -> list[date]:
        """Worked weekend days in [start, end]."""
        span = (end - start).days + 1
        days = (start + timedelta(days=offset) for offset in range(span))
        return [d for d in days if self.is_make_up_day(d)]

    def holiday_ranges(self, start: date, end: date) -> list[HolidayRange]:
        """Holidays in [start, end] grouped into runs of consecutive days, with their names."""
        ranges: list[HolidayRange] = []
        for day in self.non_working_days(start, end):
            if not day.is_holiday:
                continue
            names = day.holiday_names
            last = ranges[-1] if ranges else None
            if last and last.end + timedelta(days=1) == day.date:
                merged = last.names + tuple(n for n in names if n not in last.names)
                ranges[-1] = HolidayRange(last.start, day.date, merged)
            else:
                ranges.append(HolidayRange(day.date, day.date, names))
        return ranges
