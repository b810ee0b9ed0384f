from __future__ import annotations

from datetime import date

import pytest

from tiepdan.workdays import services
from tiepdan.workdays.calendar import Override, OverrideKind, WorkCalendar

# The swaps the data migration 0003 adds on top of the package (TB 9441/TB-BNV).
SEEDED_OVERRIDES = (
    Override(date(2026, 1, 2), OverrideKind.DAY_OFF, "Nghỉ hoán đổi dịp Tết Dương lịch"),
    Override(date(2026, 1, 10), OverrideKind.WORKING_DAY, "Làm bù cho thứ Sáu 02/01/2026"),
    Override(date(2026, 8, 31), OverrideKind.DAY_OFF, "Nghỉ hoán đổi dịp Quốc khánh"),
    Override(date(2026, 8, 22), OverrideKind.WORKING_DAY, "Làm bù cho thứ Hai 31/08/2026"),
)


@pytest.fixture(scope="session")
def calendar() -> WorkCalendar:
    """The calendar as deployed: package baseline plus the seeded overrides."""
    return WorkCalendar(SEEDED_OVERRIDES)


@pytest.fixture
def fresh_calendar_cache():
    services.invalidate_calendar_cache()
    yield
    services.invalidate_calendar_cache()


@pytest.fixture
def hook_calls():
    """A recompute hook that records its calls; unregistered afterwards."""
    calls: list[tuple[WorkCalendar, frozenset[date]]] = []

    def hook(calendar: WorkCalendar, days: frozenset[date]) -> int:
        calls.append((calendar, days))
        return 3

    services.register_recompute_hook(hook)
    yield calls
    services.unregister_recompute_hook(hook)
