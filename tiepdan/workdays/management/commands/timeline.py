"""``tiepdan timeline``: the preparation milestones of an online reception session, as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tiepdan.workdays.management.commands._args import command_errors, parse_start
from tiepdan.workdays.services import current_calendar, get_rules
from tiepdan.workdays.timeline import hearing_timeline, milestone_keys


class Command(BaseCommand):
    help = "Các mốc chuẩn bị buổi tiếp công dân trực tuyến (JSON)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--start", required=True, help='Thời điểm bắt đầu, "YYYY-MM-DD HH:MM" giờ Việt Nam.'
        )
        parser.add_argument(
            "--city-leaders",
            action="store_true",
            help="Có lãnh đạo cần báo cáo UBND thành phố (thêm mốc report_to_city).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = parse_start(options["start"])
        city_leaders = options["city_leaders"]
        with command_errors():
            rules = get_rules(milestone_keys(city_leaders))
            timeline = hearing_timeline(start, city_leaders, current_calendar(), rules)
        payload = {
            key: {"due": deadline.due.isoformat(), "explanation": deadline.explanation}
            for key, deadline in timeline.items()
        }
        self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
