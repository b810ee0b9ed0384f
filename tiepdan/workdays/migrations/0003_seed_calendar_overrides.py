"""Seed the 2025–2026 civil-service swaps (domain brief §8) the ``holidays`` baseline lacks.

Each candidate is checked against the installed package: one it already has is skipped, except
the 2026 National Day swap, recorded explicitly so its legal basis shows in the admin.
"""

import datetime as dt

import holidays
from django.db import migrations

TB_6150 = "Thông báo 6150/TB-BLĐTBXH (2024) về lịch nghỉ Tết Âm lịch, 30/4, 1/5 năm 2025"
TB_9441 = "Thông báo 9441/TB-BNV (2025) về lịch nghỉ lễ, Tết năm 2026"

CANDIDATES = [
    # date, kind, name, legal_reference, record even if the package has it
    (dt.date(2025, 5, 2), "day_off", "Nghỉ hoán đổi dịp 30/4–1/5", TB_6150, False),
    (dt.date(2025, 4, 26), "working_day", "Làm bù cho thứ Sáu 02/05/2025", TB_6150, False),
    (dt.date(2026, 1, 2), "day_off", "Nghỉ hoán đổi dịp Tết Dương lịch", TB_9441, False),
    (dt.date(2026, 1, 10), "working_day", "Làm bù cho thứ Sáu 02/01/2026", TB_9441, False),
    (dt.date(2026, 8, 31), "day_off", "Nghỉ hoán đổi dịp Quốc khánh", TB_9441, True),
    (dt.date(2026, 8, 22), "working_day", "Làm bù cho thứ Hai 31/08/2026", TB_9441, True),
]


def _baseline_has(baseline, day, kind):
    worked = baseline.is_working_day(day)
    return not worked if kind == "day_off" else worked


def seed(apps, schema_editor):
    CalendarOverride = apps.get_model("workdays", "CalendarOverride")
    baseline = holidays.country_holidays("VN", years=[2025, 2026], language="vi")
    for day, kind, name, reference, always in CANDIDATES:
        if always or not _baseline_has(baseline, day, kind):
            CalendarOverride.objects.get_or_create(
                date=day, kind=kind, defaults={"name": name, "legal_reference": reference}
            )


def unseed(apps, schema_editor):
    CalendarOverride = apps.get_model("workdays", "CalendarOverride")
    for day, kind, _name, reference, _always in CANDIDATES:
        CalendarOverride.objects.filter(date=day, kind=kind, legal_reference=reference).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0002_seed_deadline_rules")]

    operations = [migrations.RunPython(seed, unseed)]
