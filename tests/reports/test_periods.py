"""Kỳ báo cáo: labels in Vietnamese, bounds in the commune's time, and clear errors for a bad
or future period."""

from __future__ import annotations

import datetime as dt

import pytest

from tiepdan.core.errors import InvalidInput
from tiepdan.reports.periods import Period, parse_period

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(("kind", "number", "label", "start", "end"), [
    pytest.param("month", 2, "Tháng 2 năm 2026", "2026-02-01", "2026-02-28", id="month"),
    pytest.param("quarter", 4, "Quý IV năm 2026", "2026-10-01", "2026-12-31", id="quarter-iv"),
    pytest.param("quarter", 1, "Quý I năm 2026", "2026-01-01", "2026-03-31", id="quarter-i"),
    pytest.param("half", 1, "6 tháng đầu năm 2026", "2026-01-01", "2026-06-30", id="half-1"),
    pytest.param("half", 2, "6 tháng cuối năm 2026", "2026-07-01", "2026-12-31", id="half-2"),
    pytest.param("year", None, "Năm 2026", "2026-01-01", "2026-12-31", id="year"),
])
def test_a_period_has_its_vietnamese_label_and_bounds(kind, number, label, start, end):
    period = Period.of(kind, 2026, number, today=TODAY)

    assert period.label == label
    assert period.start == dt.date.fromisoformat(start)
    assert period.end == dt.date.fromisoformat(end)


def test_bounds_are_local_midnights():
    start, after = Period.of("month", 2026, 3, today=TODAY).bounds()

    assert start.isoformat() == "2026-03-01T00:00:00+07:00"
    assert after.isoformat() == "2026-04-01T00:00:00+07:00"


@pytest.mark.parametrize(("kind", "year", "number", "field", "message"), [
    pytest.param("month", 2026, 13, "number", "Tháng phải từ 1 đến 12", id="month-13"),
    pytest.param("month", 2026, None, "number", "Tháng phải từ 1 đến 12", id="month-missing"),
    pytest.param("quarter", 2026, 5, "number", "Quý phải từ 1 đến 4", id="quarter-5"),
    pytest.param("half", 2026, 3, "number", "6 tháng đầu năm (1)", id="half-3"),
    pytest.param("week", 2026, 1, "kind", "Chọn tháng, quý, 6 tháng hoặc năm", id="unknown-kind"),
    pytest.param("year", 1999, None, "year", "Năm báo cáo phải từ 2020 đến 2026", id="too-old"),
    pytest.param("year", 2027, None, "year", "Năm báo cáo phải từ 2020 đến 2026", id="next-year"),
])
def test_it_rejects_a_bad_period_with_a_field_error(kind, year, number, field, message):
    with pytest.raises(InvalidInput) as caught:
        Period.of(kind, year, number, today=TODAY)

    assert message in caught.value.field_errors[field][0]["message"]


def test_it_rejects_a_period_that_has_not_started():
    with pytest.raises(InvalidInput) as caught:
        Period.of("month", 2026, 12, today=dt.date(2026, 11, 30))

    assert caught.value.field_errors["number"][0]["code"] == "future"
    assert "Tháng 12 năm 2026 chưa bắt đầu" in caught.value.field_errors["number"][0]["message"]


def test_the_running_period_is_allowed_and_marked_partial():
    period = Period.of("quarter", 2026, 4, today=TODAY)

    assert not period.is_complete(TODAY)
    assert Period.of("quarter", 2026, 3, today=TODAY).is_complete(TODAY)


def test_a_query_without_a_period_gives_the_current_quarter():
    assert parse_period({}, today=TODAY) == Period.of("quarter", 2026, 4, today=TODAY)


@pytest.mark.parametrize(("params", "field"), [
    pytest.param({"kind": "month", "year": "hai nghìn", "number": "1"}, "year", id="year-text"),
    pytest.param({"kind": "month", "year": "2026", "number": "một"}, "number", id="number-text"),
])
def test_a_query_with_text_for_a_number_is_refused(params, field):
    with pytest.raises(InvalidInput) as caught:
        parse_period(params, today=TODAY)

    assert field in caught.value.field_errors
