"""The deadline engine: apply a rule (N working days, calendar days or hours) to a trigger.

Pure and Django-free.  Counting follows BLDS 2015: the trigger day is not counted (Đ147), and a
period in calendar days that ends on a day off ends on the next working day (Đ148 k5).  For
"at least N days before" rules the due day moves to the previous working day instead, so the
notice is never late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from tiepdan.workdays.calendar import (
    NAME_SEPARATOR,
    WorkCalendar,
    format_date,
    weekday_name,
)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Unit(StrEnum):
    WORKING_DAYS = "working_days"  # "ngày làm việc"
    CALENDAR_DAYS = "calendar_days"  # "ngày"
    HOURS = "hours"  # "giờ"


class Direction(StrEnum):
    FORWARD = "forward"  # "within N … of the trigger"
    BACKWARD = "backward"  # "at least N … before the trigger"


@dataclass(frozen=True)
class Rule:
    amount: int
    unit: Unit
    direction: Direction = Direction.FORWARD
    legal_source: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"Số lượng phải là số nguyên, không phải {self.amount!r}.")
        if self.amount < 0:
            raise ValueError(f"Số lượng không được âm ({self.amount}).")
        object.__setattr__(self, "unit", Unit(self.unit))
        object.__setattr__(self, "direction", Direction(self.direction))


@dataclass(frozen=True)
class Deadline:
    due: date | datetime
    explanation: str


_UNIT_WORDS = {Unit.WORKING_DAYS: "ngày làm việc", Unit.CALENDAR_DAYS: "ngày", Unit.HOURS: "giờ"}
_DIRECTION_WORDS = {Direction.FORWARD: "sau", Direction.BACKWARD: "trước"}


def local_date(moment: date | datetime) -> date:
    """The date of ``moment`` in Vietnam (aware datetimes are converted first)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(VN_TZ)
        return moment.date()
    return moment


def compute(rule: Rule, trigger: date | datetime, calendar: WorkCalendar) -> Deadline:
    """The due date (or datetime, for hours) of ``rule`` counted from ``trigger``."""
    if rule.unit == Unit.HOURS:
        return _hours(rule, trigger)
    day = local_date(trigger)
    # A calendar never changes once built (a changed override table builds a new one), so the
    # deadlines it gave are kept with it: every registration of a day asks for the same ones.
    memo = calendar.deadline_memo
    key = (rule, day)
    deadline = memo.get(key)
    if deadline is None:
        if rule.unit == Unit.WORKING_DAYS:
            deadline = _working_days(rule, day, calendar)
        else:
            deadline = _calendar_days(rule, day, calendar)
        if len(memo) < _MEMO_LIMIT:
            memo[key] = deadline
    return deadline


_MEMO_LIMIT = 20_000  # (rule, day) pairs kept per calendar: a recompute of every open deadline


def _head(rule: Rule, trigger: date) -> str:
    words = f"{rule.amount:02d} {_UNIT_WORDS[rule.unit]} {_DIRECTION_WORDS[rule.direction]}"
    return f"{words} ngày {_day(trigger)}"


def _day(d: date) -> str:
    return f"{format_date(d)} ({weekday_name(d)})"


def _working_days(rule: Rule, trigger: date, calendar: WorkCalendar) -> Deadline:
    sign = -1 if rule.direction == Direction.BACKWARD else 1
    due = calendar.add_working_days(trigger, sign * rule.amount) if rule.amount else trigger
    text = f"{_head(rule, trigger)}: hạn chót {_day(due)}"
    return Deadline(due, text + _skipped(calendar, trigger, due, trigger.year))


def _calendar_days(rule: Rule, trigger: date, calendar: WorkCalendar) -> Deadline:
    backward = rule.direction == Direction.BACKWARD
    raw = trigger + timedelta(days=-rule.amount if backward else rule.amount)
    text = f"{_head(rule, trigger)} là {format_date(raw)}"
    if calendar.is_working_day(raw):
        return Deadline(raw, f"{text} ({weekday_name(raw)}): hạn chót {_day(raw)}")
    reason = calendar.holiday_name(raw) or "nghỉ cuối tuần"
    text += f" ({weekday_name(raw)}, {reason})"
    if backward:
        due = calendar.previous_working_day(raw)
        text += f", lùi về ngày làm việc trước đó: hạn chót {_day(due)}"
    else:
        due = calendar.next_working_day(raw)
        # BLDS 2015 Đ148 k5: a period ending on a day off ends on the next working day.
        text += f", chuyển sang ngày làm việc tiếp theo: hạn chót {_day(due)}"
    low, high = min(due, raw), max(due, raw)
    skipped = _skipped(calendar, low - timedelta(days=1), high + timedelta(days=1), trigger.year)
    return Deadline(due, text + skipped)


def _hours(rule: Rule, trigger: date | datetime) -> Deadline:
    if not isinstance(trigger, datetime):
        raise ValueError("Thời hạn tính bằng giờ cần mốc thời gian có giờ, không chỉ ngày.")
    delta = timedelta(hours=rule.amount)
    due = trigger - delta if rule.direction == Direction.BACKWARD else trigger + delta
    words = f"{rule.amount:02d} giờ {_DIRECTION_WORDS[rule.direction]}"
    return Deadline(due, f"{words} {_moment(trigger)}: hạn chót {_moment(due)}")


def _moment(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(VN_TZ)
    return f"{moment:%H:%M} ngày {format_date(moment.date())}"


def _skipped(calendar: WorkCalendar, a: date, b: date, year: int) -> str:
    """Holidays and make-up days strictly between ``a`` and ``b``, as explanation text."""
    start, end = min(a, b) + timedelta(days=1), max(a, b) - timedelta(days=1)
    if start > end:
        return ""
    text = ""
    ranges = calendar.holiday_ranges(start, end)
    if ranges:
        parts = []
        for r in ranges:
            span = _short(r.start, year)
            if r.end != r.start:
                span += f"–{_short(r.end, year)}"
            parts.append(f"{span} ({NAME_SEPARATOR.join(r.names)})")
        text += "; bỏ qua " + "; ".join(parts)
    make_up = calendar.make_up_days(start, end)
    if make_up:
        days = ", ".join(f"{weekday_name(d)} {_short(d, year)}" for d in make_up)
        text += f"; tính ngày làm bù {days}"
    return text


def _short(d: date, year: int) -> str:
    """dd/mm within the trigger's year, dd/mm/yyyy otherwise."""
    return format_date(d, with_year=d.year != year)
