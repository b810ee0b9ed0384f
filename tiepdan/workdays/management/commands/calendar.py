"""``tiepdan calendar``: query the working calendar in force (baseline + overrides)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tiepdan.workdays.management.commands._args import (
    command_errors,
    parse_date,
    parse_int,
)
from tiepdan.workdays.services import current_calendar

MAX_WORKING_DAYS = 2500  # about ten years


class Command(BaseCommand):
    help = "Ngày làm việc: kiểm tra một ngày, cộng/trừ ngày làm việc, liệt kê ngày nghỉ lễ."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = sub.add_parser("is-working-day", help="In true/false.")
        check.add_argument("date", help="YYYY-MM-DD")
        add = sub.add_parser(
            "add-working-days", help="Ngày làm việc thứ N sau (N âm: trước) một ngày."
        )
        add.add_argument("date", help="YYYY-MM-DD")
        add.add_argument("n", help="số ngày làm việc, có thể âm")
        days_off = sub.add_parser("holidays", help="Các ngày nghỉ lễ, nghỉ bù, hoán đổi trong năm.")
        days_off.add_argument("year")

    def handle(self, *args: Any, **options: Any) -> None:
        with command_errors():
            calendar = current_calendar()
        action = options["action"]
        if action == "is-working-day":
            day = parse_date(options["date"])
            self.stdout.write("true" if calendar.is_working_day(day) else "false")
        elif action == "add-working-days":
            day = parse_date(options["date"])
            n = parse_int(options["n"], "Số ngày làm việc")
            if abs(n) > MAX_WORKING_DAYS:
                raise CommandError(f"Số ngày làm việc quá lớn (tối đa ±{MAX_WORKING_DAYS}): {n}.")
            self.stdout.write(calendar.add_working_days(day, n).isoformat())
        else:
            year = parse_int(options["year"], "Năm")
            if not 1995 <= year <= 2100:
                raise CommandError(f"Năm ngoài phạm vi hỗ trợ (1995–2100): {year}.")
            lines = [(day.date, day.name) for day in calendar.holidays_in_year(year)]
            make_up = calendar.make_up_days(dt.date(year, 1, 1), dt.date(year, 12, 31))
            lines += [(day, "Làm bù (ngày nghỉ cuối tuần đi làm)") for day in make_up]
            for day, name in sorted(lines):
                self.stdout.write(f"{day.isoformat()}\t{name}")
