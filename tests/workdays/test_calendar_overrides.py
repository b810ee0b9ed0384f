"""Overrides on top of the package baseline, without the database."""

from __future__ import annotations

from datetime import date

import pytest

from tiepdan.workdays.calendar import (
    CalendarConflictError,
    Override,
    OverrideKind,
    WorkCalendar,
    find_conflicts,
)

OFF, WORKED, REMOVE = OverrideKind.DAY_OFF, OverrideKind.WORKING_DAY, OverrideKind.REMOVE_HOLIDAY


def test_it_follows_the_package_without_overrides():
    baseline = WorkCalendar()
    # 2/1/2026 is not swapped in the package (only its 2024–2026 special days are).
    assert baseline.is_working_day(date(2026, 1, 2))
    assert not baseline.is_working_day(date(2026, 1, 10))
    # The package already knows the 2026 National Day swap.
    assert baseline.is_working_day(date(2026, 8, 22))
    assert not baseline.is_working_day(date(2026, 8, 31))


def test_it_adds_a_day_off():
    cal = WorkCalendar([Override(date(2027, 9, 6), OFF, "Nghỉ hoán đổi dịp Quốc khánh 2027")])
    assert not cal.is_working_day(date(2027, 9, 6))
    assert cal.holiday_name(date(2027, 9, 6)) == "Nghỉ hoán đổi dịp Quốc khánh 2027"
    # 2/9 and 3/9 off, the weekend, then Monday 6/9 off too.
    assert cal.add_working_days(date(2027, 9, 1), 1) == date(2027, 9, 7)


def test_it_adds_a_make_up_saturday():
    cal = WorkCalendar([Override(date(2027, 9, 11), WORKED, "Làm bù")])
    assert cal.is_working_day(date(2027, 9, 11))
    assert cal.is_make_up_day(date(2027, 9, 11))
    assert cal.add_working_days(date(2027, 9, 10), 1) == date(2027, 9, 11)


def test_it_turns_a_holiday_into_a_working_day():
    cal = WorkCalendar([Override(date(2026, 11, 24), WORKED, "Đi làm")])
    assert cal.is_working_day(date(2026, 11, 24))
    assert cal.holiday_name(date(2026, 11, 24)) is None


def test_it_removes_a_holiday_not_yet_law():
    # Ngày Văn hóa Việt Nam (24/11) is configurable until BLLĐ Đ112 is amended.
    cal = WorkCalendar([Override(date(2026, 11, 24), REMOVE, "Chưa là ngày nghỉ lễ")])
    assert cal.is_working_day(date(2026, 11, 24))
    assert cal.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 24)


def test_removing_a_holiday_on_a_weekend_leaves_it_a_weekend():
    cal = WorkCalendar([Override(date(2026, 4, 26), REMOVE, "Bỏ")])
    assert cal.holiday_name(date(2026, 4, 26)) is None
    assert not cal.is_working_day(date(2026, 4, 26))


def test_a_day_off_cancels_a_make_up_saturday():
    cal = WorkCalendar([Override(date(2026, 8, 22), OFF, "Hủy làm bù")])
    assert not cal.is_working_day(date(2026, 8, 22))


def test_it_applies_overrides_for_years_outside_the_default_window():
    cal = WorkCalendar([Override(date(2040, 1, 2), OFF, "Nghỉ hoán đổi")])
    assert not cal.is_working_day(date(2040, 1, 2))  # a Monday
    assert not cal.is_working_day(date(2040, 1, 1))  # Tết Dương lịch from the package


@pytest.mark.parametrize(
    ("kinds", "conflict"),
    [
        pytest.param((OFF, WORKED), True, id="off-and-worked"),
        pytest.param((OFF, REMOVE), True, id="off-and-not-a-holiday"),
        pytest.param((WORKED, REMOVE), False, id="worked-and-not-a-holiday-agree"),
        pytest.param((OFF, OFF), False, id="same-kind-twice"),
    ],
)
def test_it_finds_contradictory_overrides(kinds, conflict):
    day = date(2027, 1, 2)
    overrides = [Override(day, kind, "x") for kind in kinds]
    assert find_conflicts(overrides) == ({day} if conflict else set())


def test_it_rejects_a_day_both_off_and_worked():
    day = date(2027, 1, 2)
    with pytest.raises(CalendarConflictError, match="02/01/2027"):
        WorkCalendar([Override(day, OFF, "Nghỉ"), Override(day, WORKED, "Làm bù")])
