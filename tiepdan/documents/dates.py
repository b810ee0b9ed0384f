"""Place names and dates as NĐ 30/2020 writes them (Phụ lục I, mục II.3–4).

Pure helpers, no Django: ``place_date_line("An Lão", date(2026, 1, 5))`` gives
"An Lão, ngày 05 tháng 01 năm 2026".
"""

from __future__ import annotations

import datetime as dt

#: Prefixes of commune-level unit names that the place line drops ("Xã An Lão" → "An Lão").
UNIT_PREFIXES = ("xã ", "phường ", "thị trấn ", "đặc khu ")

WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def place_from_unit_name(name: str) -> str:
    """The địa danh of the place-date line for a commune-level unit name.

    NĐ 30 Phụ lục I II.4: the unit type is dropped, except for units named by a number
    ("Phường 15" stays "Phường 15").
    """
    cleaned = " ".join(name.split())
    lowered = cleaned.lower()
    for prefix in UNIT_PREFIXES:
        if lowered.startswith(prefix):
            rest = cleaned[len(prefix):]
            return cleaned if rest[:1].isdigit() else rest
    return cleaned


def day_text(day: int) -> str:
    # NĐ 30 Phụ lục I II.4: days below 10 take a leading zero.
    return f"{day:02d}"


def month_text(month: int) -> str:
    # NĐ 30 Phụ lục I II.4: only months 1 and 2 take a leading zero ("tháng 01", "tháng 3").
    return f"{month:02d}" if month < 3 else str(month)


def place_date_line(place: str, date: dt.date) -> str:
    """"An Lão, ngày 05 tháng 01 năm 2026"."""
    return f"{place}, ngày {day_text(date.day)} tháng {month_text(date.month)} năm {date.year}"


def short_date(date: dt.date) -> str:
    """"15/01/2026": dates inside the body."""
    return f"{date.day:02d}/{date.month:02d}/{date.year}"


def time_text(moment: dt.datetime | dt.time) -> str:
    """"08 giờ 00" (or "14 giờ 30")."""
    return f"{moment.hour:02d} giờ {moment.minute:02d}"


def when_text(moment: dt.datetime) -> str:
    """"08 giờ 00, thứ Năm, ngày 15/01/2026": the Thời gian line of an invitation."""
    return f"{time_text(moment)}, {WEEKDAYS[moment.weekday()]}, ngày {short_date(moment.date())}"


def symbol(number: int, type_code: str, issuer_code: str = "UBND") -> str:
    """Số, ký hiệu: "05/GM-UBND" (NĐ 30 Phụ lục I II.3: numbers below 10 take a zero)."""
    return f"{number:02d}/{type_code}-{issuer_code}"


def number_line(number: int, type_code: str, issuer_code: str = "UBND") -> str:
    """"Số: 05/GM-UBND"."""
    return f"Số: {symbol(number, type_code, issuer_code)}"
