"""How a deadline was counted, in the reader's language.

The deadline engine (``deadlines.py``, Django-free) writes its explanation in Vietnamese, and
that sentence is stored with the deadline as the record ("05 ngày làm việc sau ngày 28/12/2026
(thứ Hai): hạn chót 05/01/2027 (thứ Ba); bỏ qua 01/01/2027 (Tết Dương lịch)").  This module
reads such a sentence back into its parts — the start, N working days / days / hours before or
after it, where a calendar period landed and why it moved, the holidays and make-up days
skipped, the due date — and says them again through gettext, so an English page shows "05
working days after 28/12/2026 (Monday): due 05/01/2027 (Tuesday); skipping 01/01/2027 (New
Year's Day)".  A sentence it does not recognise (an older or hand-written one) is shown as is.

Templates use the ``|explanation`` filter (``workdays/templatetags/explanations.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tiepdan.workdays.calendar import NAME_SEPARATOR, WEEKDAY_NAMES

WEEKDAYS = (
    gettext_noop("thứ Hai"),
    gettext_noop("thứ Ba"),
    gettext_noop("thứ Tư"),
    gettext_noop("thứ Năm"),
    gettext_noop("thứ Sáu"),
    gettext_noop("thứ Bảy"),
    gettext_noop("Chủ nhật"),
)
WEEKEND = gettext_noop("nghỉ cuối tuần")
#: The holiday names the calendar gives (calendar._NAMES, TET, MAKE_UP_DAY_OFF); a local
#: override's own name is data and stays as written.
HOLIDAYS = (
    gettext_noop("Tết Dương lịch"),
    gettext_noop("Giỗ Tổ Hùng Vương"),
    gettext_noop("Ngày Giải phóng miền Nam, thống nhất đất nước"),
    gettext_noop("Ngày Quốc tế Lao động"),
    gettext_noop("Quốc khánh"),
    gettext_noop("Ngày Văn hóa Việt Nam"),
    gettext_noop("Tết Nguyên đán"),
    gettext_noop("Nghỉ hoán đổi"),
)
OBSERVED = "Nghỉ bù "  # "Nghỉ bù Giỗ Tổ Hùng Vương": the day off in lieu of a holiday

_DATE = r"\d{2}/\d{2}(?:/\d{4})?"
_WEEKDAY = "|".join(WEEKDAY_NAMES)


def _day_pattern(name: str) -> str:
    return rf"(?P<{name}>{_DATE}) \((?P<{name}_wd>{_WEEKDAY})\)"


_WORKING = re.compile(
    rf"^(?P<amount>\d+) ngày làm việc (?P<dir>sau|trước) ngày {_day_pattern('start')}"
    rf": hạn chót {_day_pattern('due')}(?P<rest>.*)$"
)
_CALENDAR = re.compile(
    rf"^(?P<amount>\d+) ngày (?P<dir>sau|trước) ngày {_day_pattern('start')}"
    rf" là (?P<landed>{_DATE}) \((?P<landed_wd>{_WEEKDAY})(?:, (?P<reason>[^()]+))?\)"
    rf"(?:, (?P<move>lùi về ngày làm việc trước đó|chuyển sang ngày làm việc tiếp theo))?"
    rf": hạn chót {_day_pattern('due')}(?P<rest>.*)$"
)
_HOURS = re.compile(
    rf"^(?P<amount>\d+) giờ (?P<dir>sau|trước) (?P<start_time>\d{{2}}:\d{{2}}) ngày "
    rf"(?P<start>{_DATE}): hạn chót (?P<due_time>\d{{2}}:\d{{2}}) ngày (?P<due>{_DATE})$"
)
_SKIPPED = re.compile(rf"(?P<span>{_DATE}(?:–{_DATE})?) \((?P<names>[^()]+)\)")
_MAKE_UP = re.compile(rf"(?P<wd>{_WEEKDAY}) (?P<date>{_DATE})")


@dataclass(frozen=True)
class Day:
    date: str  # as written: dd/mm/yyyy, or dd/mm within the start's year
    weekday: str = ""  # the engine's Vietnamese name
    time: str = ""  # HH:MM for hour-based deadlines


@dataclass(frozen=True)
class Skipped:
    span: str  # "30/04–01/05"
    names: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    amount: str  # as written ("05")
    unit: str  # "working_days", "calendar_days" or "hours"
    forward: bool
    start: Day
    due: Day
    landed: Day | None = None  # calendar days: where the count landed
    landed_reason: str = ""  # why that day is off (a holiday name or the weekend)
    moved: str = ""  # "back" or "forward" when the landing day was off
    skipped: tuple[Skipped, ...] = ()
    make_up: tuple[Day, ...] = ()


def parse(text: str) -> Explanation | None:
    """The parts of an explanation written by the deadline engine; None if it is not one."""
    text = text.strip()
    if match := _HOURS.match(text):
        return Explanation(
            match["amount"],
            "hours",
            match["dir"] == "sau",
            Day(match["start"], time=match["start_time"]),
            Day(match["due"], time=match["due_time"]),
        )
    unit, match = "working_days", _WORKING.match(text)
    if match is None:
        unit, match = "calendar_days", _CALENDAR.match(text)
    if match is None:
        return None
    rest = _rest(match["rest"])
    if rest is None:
        return None
    skipped, make_up = rest
    groups = match.groupdict()
    landed = Day(groups["landed"], groups["landed_wd"]) if groups.get("landed") else None
    move = groups.get("move") or ""
    return Explanation(
        match["amount"],
        unit,
        match["dir"] == "sau",
        Day(match["start"], match["start_wd"]),
        Day(match["due"], match["due_wd"]),
        landed,
        groups.get("reason") or "",
        "back" if move.startswith("lùi") else "forward" if move else "",
        skipped,
        make_up,
    )


def _rest(rest: str) -> tuple[tuple[Skipped, ...], tuple[Day, ...]] | None:
    skipped: list[Skipped] = []
    make_up: list[Day] = []
    if rest.startswith("; bỏ qua "):
        rest = rest.removeprefix("; bỏ qua ")
        while match := _SKIPPED.match(rest):
            skipped.append(Skipped(match["span"], tuple(match["names"].split(NAME_SEPARATOR))))
            rest = rest[match.end() :]
            if not rest.startswith("; ") or rest.startswith("; tính ngày làm bù "):
                break
            rest = rest.removeprefix("; ")
    if rest.startswith("; tính ngày làm bù "):
        rest = rest.removeprefix("; tính ngày làm bù ")
        while match := _MAKE_UP.match(rest):
            make_up.append(Day(match["date"], match["wd"]))
            rest = rest[match.end() :].removeprefix(", ")
    return (tuple(skipped), tuple(make_up)) if not rest else None


# -- Saying it again -----------------------------------------------------------------------


def _day(day: Day) -> str:
    if day.time:
        return _("%(time)s ngày %(date)s") % {"time": day.time, "date": day.date}
    return f"{day.date} ({_(day.weekday)})"


def holiday(name: str) -> str:
    """A holiday's name in the active language (a local override's own name as written)."""
    if name.startswith(OBSERVED):
        return _("Nghỉ bù %(holiday)s") % {"holiday": holiday(name.removeprefix(OBSERVED))}
    return _(name) if name in HOLIDAYS else name


def _head(e: Explanation) -> str:
    values = {"amount": e.amount, "start": _day(e.start)}
    if e.unit == "hours":
        return (
            _("%(amount)s giờ sau %(start)s") if e.forward else _("%(amount)s giờ trước %(start)s")
        ) % values
    if e.unit == "working_days":
        return (
            _("%(amount)s ngày làm việc sau ngày %(start)s")
            if e.forward
            else _("%(amount)s ngày làm việc trước ngày %(start)s")
        ) % values
    return (
        _("%(amount)s ngày sau ngày %(start)s")
        if e.forward
        else _("%(amount)s ngày trước ngày %(start)s")
    ) % values


def render(e: Explanation) -> str:
    """The explanation in the active language."""
    text = _head(e)
    if e.landed is not None:
        landed = e.landed.date
        if e.landed_reason:
            reason = _(WEEKEND) if e.landed_reason == WEEKEND else holiday(e.landed_reason)
            landed += f" ({_(e.landed.weekday)}, {reason})"
        else:
            landed += f" ({_(e.landed.weekday)})"
        text = _("%(count)s là %(date)s") % {"count": text, "date": landed}
    values = {"count": text, "due": _day(e.due)}
    if e.moved == "back":
        text = _("%(count)s, lùi về ngày làm việc trước đó: hạn chót %(due)s") % values
    elif e.moved == "forward":
        text = _("%(count)s, chuyển sang ngày làm việc tiếp theo: hạn chót %(due)s") % values
    else:
        text = _("%(count)s: hạn chót %(due)s") % values
    if e.skipped:
        days = "; ".join(
            f"{s.span} ({NAME_SEPARATOR.join(holiday(n) for n in s.names)})" for s in e.skipped
        )
        text += _("; bỏ qua %(days)s") % {"days": days}
    if e.make_up:
        days = ", ".join(f"{_(d.weekday)} {d.date}" for d in e.make_up)
        text += _("; tính ngày làm bù %(days)s") % {"days": days}
    return text


def explain(text: str) -> str:
    """A stored explanation for the reader: as stored in Vietnamese, said again in another
    language when the engine wrote it."""
    if not text or translation.get_language() == settings.LANGUAGE_CODE:
        return text
    parsed = parse(text)
    return render(parsed) if parsed is not None else text
