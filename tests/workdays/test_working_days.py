"""Working days around Tết, 30/4–1/5, 2/9, make-up Saturdays and year ends.

Expected values are worked out by hand from the civil-service calendars (domain brief §8):
2025: off 27/1–2/2 (Tết), 7/4, 30/4–2/5 (2/5 swapped), 1–2/9; Saturday 26/4 worked.
2026: off 1–2/1 (2/1 swapped), 16–20/2 (Tết), 26/4 (Sun) + 27/4 (nghỉ bù), 30/4–1/5,
      31/8 (swapped) + 1–2/9, 24/11; Saturdays 10/1 and 22/8 worked.
2027 (package rules): off 1/1, 4–10/2 (Tết; 6/2 is a Saturday), 16/4, 30/4, 1/5 (Sat) + 3/5
      (nghỉ bù), 2–3/9, 24/11.
"""

from __future__ import annotations

from datetime import date

import pytest

D = date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2026, 8, 22), True, id="sat-22-08-2026-make-up-for-31-08"),
        pytest.param(D(2026, 8, 23), False, id="sun-23-08-2026-ordinary-sunday"),
        pytest.param(D(2026, 8, 29), False, id="sat-29-08-2026-ordinary-saturday"),
        pytest.param(D(2026, 1, 10), True, id="sat-10-01-2026-make-up-for-02-01"),
        pytest.param(D(2026, 1, 2), False, id="fri-02-01-2026-swapped-day-off"),
        pytest.param(D(2025, 4, 26), True, id="sat-26-04-2025-make-up-for-02-05"),
        pytest.param(D(2025, 5, 2), False, id="fri-02-05-2025-swapped-day-off"),
        pytest.param(D(2026, 2, 16), False, id="mon-16-02-2026-tet-eve"),
        pytest.param(D(2026, 2, 20), False, id="fri-20-02-2026-last-tet-day"),
        pytest.param(D(2026, 2, 23), True, id="mon-23-02-2026-first-day-after-tet"),
        pytest.param(D(2026, 4, 27), False, id="mon-27-04-2026-nghi-bu-gio-to-on-sunday"),
        pytest.param(D(2026, 8, 31), False, id="mon-31-08-2026-swapped-day-off"),
        pytest.param(D(2026, 11, 24), False, id="tue-24-11-2026-culture-day"),
        pytest.param(D(2027, 2, 10), False, id="wed-10-02-2027-tet-sunday-moved-forward"),
        pytest.param(D(2027, 2, 4), False, id="thu-04-02-2027-tet-saturday-moved-back"),
        pytest.param(D(2027, 2, 11), True, id="thu-11-02-2027-first-day-after-tet"),
        pytest.param(D(2027, 5, 3), False, id="mon-03-05-2027-nghi-bu-for-saturday-01-05"),
        pytest.param(D(2026, 12, 31), True, id="thu-31-12-2026-year-end-is-worked"),
    ],
)
def test_it_knows_working_days(calendar, day, expected):
    assert calendar.is_working_day(day) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(D(2026, 12, 14), -5, D(2026, 12, 7), id="plain-week-back-5"),
        pytest.param(D(2026, 2, 13), 1, D(2026, 2, 23), id="fri-before-tet-2026-plus-1"),
        pytest.param(D(2026, 2, 13), 10, D(2026, 3, 6), id="tet-2026-plus-10-notify-outcome"),
        pytest.param(D(2026, 2, 23), -1, D(2026, 2, 13), id="after-tet-2026-back-1"),
        pytest.param(D(2026, 2, 24), -5, D(2026, 2, 10), id="after-tet-2026-back-5"),
        pytest.param(D(2026, 2, 14), 1, D(2026, 2, 23), id="saturday-trigger-not-counted"),
        pytest.param(D(2026, 1, 9), 1, D(2026, 1, 10), id="fri-plus-1-is-make-up-sat-10-01"),
        pytest.param(D(2026, 1, 12), -1, D(2026, 1, 10), id="mon-back-1-is-make-up-sat-10-01"),
        pytest.param(D(2025, 12, 31), 1, D(2026, 1, 5), id="year-end-2025-skips-1-and-2-01"),
        pytest.param(D(2026, 1, 5), -2, D(2025, 12, 30), id="back-across-new-year-2026"),
        pytest.param(D(2026, 8, 21), 1, D(2026, 8, 22), id="fri-plus-1-is-make-up-sat-22-08"),
        pytest.param(D(2026, 8, 28), 1, D(2026, 9, 3), id="skips-31-08-to-02-09-2026"),
        pytest.param(D(2026, 9, 3), -3, D(2026, 8, 26), id="back-over-national-day-2026"),
        pytest.param(D(2026, 8, 30), -1, D(2026, 8, 28), id="sunday-back-1-is-friday"),
        pytest.param(D(2026, 4, 29), 1, D(2026, 5, 4), id="skips-30-04-01-05-2026"),
        pytest.param(D(2026, 4, 24), 1, D(2026, 4, 28), id="skips-nghi-bu-27-04-2026"),
        pytest.param(D(2025, 4, 25), 1, D(2025, 4, 26), id="fri-plus-1-is-make-up-sat-26-04"),
        pytest.param(D(2025, 4, 29), 1, D(2025, 5, 5), id="skips-30-04-to-02-05-2025"),
        pytest.param(D(2025, 1, 24), 1, D(2025, 2, 3), id="skips-tet-2025"),
        pytest.param(D(2027, 2, 3), 1, D(2027, 2, 11), id="skips-tet-2027"),
        pytest.param(D(2027, 2, 15), -5, D(2027, 2, 1), id="back-over-tet-2027"),
        pytest.param(D(2026, 12, 31), 1, D(2027, 1, 4), id="year-end-2026-skips-01-01-2027"),
        pytest.param(D(2026, 11, 23), 1, D(2026, 11, 25), id="skips-culture-day-2026"),
        pytest.param(D(2027, 4, 29), 1, D(2027, 5, 4), id="skips-30-04-to-03-05-2027"),
        pytest.param(D(2027, 9, 1), 1, D(2027, 9, 6), id="skips-02-03-09-2027"),
    ],
)
def test_it_adds_working_days(calendar, start, n, expected):
    assert calendar.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(D(2026, 2, 13), D(2026, 2, 23), 1, id="over-tet-2026"),
        pytest.param(D(2026, 2, 23), D(2026, 2, 13), -1, id="backwards-over-tet-2026"),
        # 5–9/1 (5 days), Saturday 10/1 (make-up), Monday 12/1.
        pytest.param(D(2025, 12, 31), D(2026, 1, 12), 7, id="new-year-2026-with-make-up"),
        pytest.param(D(2026, 3, 2), D(2026, 3, 2), 0, id="same-day"),
    ],
)
def test_it_counts_working_days_between(calendar, start, end, expected):
    assert calendar.working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2026, 1, 1), "Tết Dương lịch", id="new-year"),
        pytest.param(D(2026, 2, 17), "Tết Nguyên đán", id="tet-first-day"),
        pytest.param(D(2027, 2, 4), "Tết Nguyên đán", id="tet-29-moved-back"),
        pytest.param(D(2026, 4, 26), "Giỗ Tổ Hùng Vương", id="hung-kings"),
        pytest.param(D(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương", id="hung-kings-nghi-bu"),
        pytest.param(
            D(2026, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước", id="reunification"
        ),
        pytest.param(D(2026, 5, 1), "Ngày Quốc tế Lao động", id="labour-day"),
        pytest.param(D(2026, 9, 2), "Quốc khánh", id="national-day"),
        pytest.param(D(2026, 11, 24), "Ngày Văn hóa Việt Nam", id="culture-day"),
        pytest.param(D(2025, 5, 2), "Nghỉ hoán đổi", id="package-swap-2025"),
        pytest.param(D(2026, 8, 31), "Nghỉ hoán đổi dịp Quốc khánh", id="override-name-wins"),
        pytest.param(D(2026, 8, 29), None, id="ordinary-saturday"),
        pytest.param(D(2026, 8, 22), None, id="make-up-saturday"),
    ],
)
def test_it_names_holidays_in_vietnamese(calendar, day, expected):
    assert calendar.holiday_name(day) == expected


def test_it_lists_non_working_days_with_names(calendar):
    days = calendar.non_working_days(D(2026, 2, 14), D(2026, 2, 22))
    assert [(d.date.day, d.name) for d in days] == [
        (14, "thứ Bảy"),
        (15, "Chủ nhật"),
        *[(day, "Tết Nguyên đán") for day in range(16, 21)],
        (21, "thứ Bảy"),
        (22, "Chủ nhật"),
    ]


def test_it_groups_holidays_into_ranges(calendar):
    ranges = calendar.holiday_ranges(D(2027, 1, 1), D(2027, 5, 31))
    assert [(r.start, r.end, r.names) for r in ranges] == [
        (D(2027, 1, 1), D(2027, 1, 1), ("Tết Dương lịch",)),
        (D(2027, 2, 4), D(2027, 2, 10), ("Tết Nguyên đán",)),
        (D(2027, 4, 16), D(2027, 4, 16), ("Giỗ Tổ Hùng Vương",)),
        (
            D(2027, 4, 30),
            D(2027, 5, 1),
            ("Ngày Giải phóng miền Nam, thống nhất đất nước", "Ngày Quốc tế Lao động"),
        ),
        # Sunday 2/5 is an ordinary weekend and breaks the run.
        (D(2027, 5, 3), D(2027, 5, 3), ("Nghỉ bù Ngày Quốc tế Lao động",)),
    ]


def test_it_lists_the_days_off_of_a_year(calendar):
    days = [d.date for d in calendar.holidays_in_year(2026)]
    assert days == [
        D(2026, 1, 1), D(2026, 1, 2),
        D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20),
        D(2026, 4, 26), D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1),
        D(2026, 8, 31), D(2026, 9, 1), D(2026, 9, 2),
        D(2026, 11, 24),
    ]  # fmt: skip


def test_it_lists_make_up_days(calendar):
    assert calendar.make_up_days(D(2025, 1, 1), D(2026, 12, 31)) == [
        D(2025, 4, 26),
        D(2026, 1, 10),
        D(2026, 8, 22),
    ]
