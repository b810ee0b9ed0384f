"""Fixtures of the report tests: another city's observer, matters received in Quý IV năm 2026
through each channel, and a hearing held through the real planning service (the staff of Xã An
Lão, the city observer and the ``clock`` come from ``tests/fixtures``)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import advance, make_hearing
from tests.factories import CityFactory, CommuneFactory, staff_user
from tests.intake.test_triage_transitions import make_matter
from tiepdan.core.models import Role
from tiepdan.intake.models import MatterDeadline
from tiepdan.workdays.deadlines import VN_TZ

from ..fixtures.clock import NOW

#: "Today" for report tests: Tuesday 01/12/2026 (Quý IV năm 2026 runs).
TODAY = NOW.date()


@pytest.fixture
def other_city():
    return CityFactory(province_code=1, name="Thành phố Hà Nội")


@pytest.fixture
def other_city_observer(other_city):
    CommuneFactory(ward_code=277, name="Phường Bạch Mai", city=other_city)
    return staff_user(Role.CITY_OBSERVER, city=other_city, username="hanoi")


def received(commune, when: dt.datetime, *, kind: str = "kien_nghi", channel: str = "online_form",
             field_of_law: str = "", **fields):
    """A matter received at ``when`` (saved directly: the figures count what is stored)."""
    return make_matter(commune, kind=kind, channel=channel, field_of_law=field_of_law,
                       received_at=when, **fields)


def deadline(matter, due: dt.date, *, met_at: dt.datetime | None = None, open_: bool = True,
             rule_key: str = "notify_outcome") -> MatterDeadline:
    return MatterDeadline.objects.create(
        matter=matter, rule_key=rule_key, trigger=due - dt.timedelta(days=14), due=due,
        explanation="Thử nghiệm", started_at=NOW - dt.timedelta(days=30), met_at=met_at,
        open=open_)


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=VN_TZ)


@pytest.fixture
def held_hearing(an_lao, officer, chairman, clock):
    """A matter accepted through triage (so it is in the register), approved for an online
    hearing, scheduled, confirmed and then held on 15/12/2026 — all through the services."""
    from tests.register.conftest import decided

    matter = advance(decided(an_lao, officer, "accept"), "approved", officer=officer,
                     chairman=chairman)
    hearing = make_hearing(an_lao, "held", matters=[matter], officer=officer, chairman=chairman,
                           clock=clock, starts_at=at("2026-12-15", 8))
    matter.refresh_from_db()
    return hearing, matter
