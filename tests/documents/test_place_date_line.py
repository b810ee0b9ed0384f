"""NĐ 30/2020 Phụ lục I II.4: the place-date line and the number's zero padding."""

import datetime as dt

import pytest

from tiepdan.documents.dates import place_date_line, place_from_unit_name, symbol, when_text
from tiepdan.documents.numbering import format_number


@pytest.mark.parametrize(("date", "expected"), [
    pytest.param(dt.date(2026, 1, 5), "An Lão, ngày 05 tháng 01 năm 2026", id="day-and-jan-padded"),
    pytest.param(dt.date(2026, 2, 28), "An Lão, ngày 28 tháng 02 năm 2026", id="feb-padded"),
    pytest.param(dt.date(2026, 3, 9), "An Lão, ngày 09 tháng 3 năm 2026", id="march-not-padded"),
    pytest.param(dt.date(2026, 9, 10), "An Lão, ngày 10 tháng 9 năm 2026", id="day-10-not-padded"),
    pytest.param(dt.date(2026, 12, 31), "An Lão, ngày 31 tháng 12 năm 2026", id="two-digits"),
])
def test_it_pads_days_below_10_and_months_1_and_2(date, expected):
    assert place_date_line("An Lão", date) == expected


@pytest.mark.parametrize(("name", "place"), [
    pytest.param("Xã An Lão", "An Lão", id="commune"),
    pytest.param("Phường Hồng Bàng", "Hồng Bàng", id="ward"),
    pytest.param("Đặc khu Cát Hải", "Cát Hải", id="special-zone"),
    pytest.param("xã  Lạc Phượng", "Lạc Phượng", id="lowercase-extra-space"),
    pytest.param("Phường 15", "Phường 15", id="numbered-unit-keeps-its-type"),
])
def test_it_derives_the_place_from_the_unit_name(name, place):
    assert place_from_unit_name(name) == place


@pytest.mark.parametrize(("number", "code", "expected"), [
    pytest.param(5, "GM", "Số: 05/GM-UBND", id="below-10-padded"),
    pytest.param(12, "TB", "Số: 12/TB-UBND", id="two-digits"),
    pytest.param(123, "BC", "Số: 123/BC-UBND", id="three-digits"),
    pytest.param(1, "QĐ", "Số: 01/QĐ-UBND", id="decision-code"),
])
def test_it_formats_the_number_line(number, code, expected):
    assert format_number(number, code) == expected
    assert expected.endswith(symbol(number, code))


def test_it_writes_the_time_of_an_invitation():
    assert when_text(dt.datetime(2026, 1, 15, 8, 0)) == "08 giờ 00, thứ Năm, ngày 15/01/2026"
    assert when_text(dt.datetime(2026, 1, 18, 14, 30)) == "14 giờ 30, Chủ nhật, ngày 18/01/2026"
