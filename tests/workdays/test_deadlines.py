"""The deadline engine, for every unit and direction (expected values worked out by hand; see
the calendars in test_working_days.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tiepdan.workdays.calendar import Override, OverrideKind, WorkCalendar
from tiepdan.workdays.deadlines import VN_TZ, Direction, Rule, Unit, compute

D = date
WD, CAL, H = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.HOURS
FWD, BACK = Direction.FORWARD, Direction.BACKWARD


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("rule", "trigger", "expected"),
    [
        # Working days, forward (trigger day not counted, BLDS Đ147).
        pytest.param(
            Rule(10, WD, FWD), D(2026, 2, 13), D(2026, 3, 6), id="wd-fwd-10-over-tet-2026"
        ),
        # 31/12 (1), 1/1 off, weekend, 4/1 (2), 5/1 (3).
        pytest.param(Rule(3, WD, FWD), D(2026, 12, 30), D(2027, 1, 5), id="wd-fwd-3-year-end"),
        # 21 (1), Saturday 22 make-up (2), 24–28 (3–7).
        pytest.param(Rule(7, WD, FWD), D(2026, 8, 20), D(2026, 8, 28), id="wd-fwd-7-make-up-sat"),
        # 28/8 (1), 31/8–2/9 off, 3 (2), 4 (3), 7 (4), 8 (5).
        pytest.param(Rule(5, WD, FWD), D(2026, 8, 27), D(2026, 9, 8), id="wd-fwd-5-over-2-9"),
        # Working days, backward.
        pytest.param(Rule(5, WD, BACK), D(2027, 2, 15), D(2027, 2, 1), id="wd-back-5-tet-2027"),
        # 29/4 (1), 28 (2), 27 nghỉ bù, 24 (3), 23 (4), 22 (5).
        pytest.param(Rule(5, WD, BACK), D(2026, 5, 4), D(2026, 4, 22), id="wd-back-5-30-4"),
        pytest.param(Rule(1, WD, BACK), D(2026, 1, 12), D(2026, 1, 10), id="wd-back-1-make-up"),
        # 2/1 and 1/1 off; 31/12 (1), 30 (2), 29 (3), weekend, 26 (4), 25 (5).
        pytest.param(Rule(5, WD, BACK), D(2026, 1, 5), D(2025, 12, 25), id="wd-back-5-new-year"),
        # Calendar days, forward: a day off moves to the next working day (BLDS Đ148 k5).
        pytest.param(Rule(10, CAL, FWD), D(2026, 2, 6), D(2026, 2, 23), id="cal-fwd-lands-on-tet"),
        pytest.param(Rule(30, CAL, FWD), D(2026, 1, 15), D(2026, 2, 23), id="cal-fwd-30-sat-tet"),
        pytest.param(Rule(3, CAL, FWD), D(2026, 8, 19), D(2026, 8, 22), id="cal-fwd-make-up-sat"),
        pytest.param(Rule(5, CAL, FWD), D(2026, 12, 27), D(2027, 1, 4), id="cal-fwd-new-year"),
        pytest.param(Rule(4, CAL, FWD), D(2026, 3, 2), D(2026, 3, 6), id="cal-fwd-no-move"),
        # Calendar days, backward: a day off moves to the previous working day.
        pytest.param(Rule(5, CAL, BACK), D(2027, 2, 15), D(2027, 2, 3), id="cal-back-tet-2027"),
        pytest.param(Rule(3, CAL, BACK), D(2026, 5, 4), D(2026, 4, 29), id="cal-back-1-5"),
        pytest.param(Rule(3, CAL, BACK), D(2026, 1, 13), D(2026, 1, 10), id="cal-back-make-up"),
        pytest.param(Rule(3, CAL, BACK), D(2026, 8, 25), D(2026, 8, 22), id="cal-back-make-up-8"),
        pytest.param(Rule(5, CAL, BACK), D(2026, 1, 6), D(2025, 12, 31), id="cal-back-new-year"),
        pytest.param(Rule(3, CAL, BACK), D(2026, 9, 3), D(2026, 8, 28), id="cal-back-swap-31-8"),
        # Hours: plain arithmetic, no calendar adjustment.
        pytest.param(Rule(2, H, BACK), at(2027, 2, 15, 8), at(2027, 2, 15, 6), id="h-back-2"),
        pytest.param(Rule(1, H, BACK), at(2026, 9, 3, 7, 30), at(2026, 9, 3, 6, 30), id="h-back-1"),
        pytest.param(Rule(2, H, BACK), at(2026, 3, 2, 1), at(2026, 3, 1, 23), id="h-back-sunday"),
        pytest.param(Rule(3, H, FWD), at(2026, 12, 31, 22), at(2027, 1, 1, 1), id="h-fwd-holiday"),
    ],
)
def test_it_computes_due_dates(calendar, rule, trigger, expected):
    assert compute(rule, trigger, calendar).due == expected


def test_it_takes_the_vietnamese_date_of_an_aware_trigger(calendar):
    # 20:00 UTC on 12/2 is 03:00 on Friday 13/2 in Vietnam: +1 working day is 23/2 (after Tết).
    trigger = datetime(2026, 2, 12, 20, 0, tzinfo=UTC)
    assert compute(Rule(1, WD, FWD), trigger, calendar).due == D(2026, 2, 23)


def test_it_keeps_the_timezone_of_hour_deadlines(calendar):
    due = compute(Rule(2, H, BACK), datetime(2027, 2, 15, 1, 0, tzinfo=UTC), calendar).due
    assert due == at(2027, 2, 15, 6)


def test_it_explains_skipped_holidays(calendar):
    deadline = compute(Rule(5, WD, BACK), D(2027, 2, 15), calendar)
    assert deadline.explanation == (
        "05 ngày làm việc trước ngày 15/02/2027 (thứ Hai): hạn chót 01/02/2027 (thứ Hai); "
        "bỏ qua 04/02–10/02 (Tết Nguyên đán)"
    )


def test_it_does_not_mention_ordinary_weekends(calendar):
    deadline = compute(Rule(5, WD, BACK), D(2026, 12, 14), calendar)
    assert deadline.explanation == (
        "05 ngày làm việc trước ngày 14/12/2026 (thứ Hai): hạn chót 07/12/2026 (thứ Hai)"
    )


def test_it_mentions_make_up_days(calendar):
    deadline = compute(Rule(7, WD, FWD), D(2026, 8, 20), calendar)
    assert deadline.explanation.endswith("; tính ngày làm bù thứ Bảy 22/08")


def test_it_shows_the_year_of_skipped_days_in_another_year(calendar):
    deadline = compute(Rule(3, WD, FWD), D(2026, 12, 30), calendar)
    assert "bỏ qua 01/01/2027 (Tết Dương lịch)" in deadline.explanation


def test_it_explains_a_move_to_the_previous_working_day(calendar):
    deadline = compute(Rule(5, CAL, BACK), D(2027, 2, 15), calendar)
    assert deadline.explanation == (
        "05 ngày trước ngày 15/02/2027 (thứ Hai) là 10/02/2027 (thứ Tư, Tết Nguyên đán), "
        "lùi về ngày làm việc trước đó: hạn chót 03/02/2027 (thứ Tư); "
        "bỏ qua 04/02–10/02 (Tết Nguyên đán)"
    )


def test_it_explains_a_move_to_the_next_working_day(calendar):
    deadline = compute(Rule(30, CAL, FWD), D(2026, 1, 15), calendar)
    assert deadline.explanation.startswith(
        "30 ngày sau ngày 15/01/2026 (thứ Năm) là 14/02/2026 (thứ Bảy, nghỉ cuối tuần), "
        "chuyển sang ngày làm việc tiếp theo: hạn chót 23/02/2026 (thứ Hai)"
    )
    assert "bỏ qua 16/02–20/02 (Tết Nguyên đán)" in deadline.explanation


def test_it_explains_hours(calendar):
    deadline = compute(Rule(2, H, BACK), at(2027, 2, 15, 8), calendar)
    assert (
        deadline.explanation == "02 giờ trước 08:00 ngày 15/02/2027: hạn chót 06:00 ngày 15/02/2027"
    )


@pytest.mark.parametrize(
    "amount",
    [
        pytest.param(-1, id="negative"),
        pytest.param(1.5, id="fraction"),
        pytest.param(True, id="bool"),
    ],
)
def test_it_rejects_impossible_amounts(amount):
    with pytest.raises(ValueError, match="Số lượng"):
        Rule(amount, WD, FWD)


def test_it_rejects_an_unknown_unit():
    with pytest.raises(ValueError):
        Rule(1, "weeks", FWD)


def test_it_rejects_hours_from_a_bare_date(calendar):
    with pytest.raises(ValueError, match="có giờ"):
        compute(Rule(2, H, BACK), D(2027, 2, 15), calendar)


def test_a_calendar_keeps_the_deadlines_it_gave_and_a_new_calendar_counts_again():
    rule = Rule(3, WD, FWD)
    plain = WorkCalendar()
    first = compute(rule, D(2026, 12, 1), plain)
    assert compute(rule, D(2026, 12, 1), plain) is first  # kept: the second ask counts nothing
    assert first.due == D(2026, 12, 4)
    # A day off on 3/12 is a new calendar (the override table changed): counted again.
    with_day_off = WorkCalendar([Override(D(2026, 12, 3), OverrideKind.DAY_OFF, "Nghỉ bù")])
    assert compute(rule, D(2026, 12, 1), with_day_off).due == D(2026, 12, 7)
    assert compute(rule, D(2026, 12, 1), plain) is first
