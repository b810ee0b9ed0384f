"""Fixtures of the report tests: another city's observer, matters received in Quý IV năm 2026
through each channel, and a hearing held through the real planning service (the staff of Xã An
Lão, the city observer and the ``clock`` come from ``tests/fixtures``)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import advance, make_hearing, make_matter, staff
from tests.factories import CityFactory, CommuneFactory, staff_user
from tiepdan.core.models import Role
from tiepdan.intake.models import Channel, MatterKind
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


def received(commune, when: dt.datetime, *, kind: str = "kien_nghi",
             channel: str = "online_form", field_of_law: str = "", **fields):
    """A matter registered at ``when`` through ``channel`` (its deadlines run from then; one
    taken in person is registered by the office) and, with ``field_of_law``, classified by the
    office then."""
    if kind == MatterKind.KHIEU_NAI:
        fields.setdefault("complained_decision", "Quyết định số 12/QĐ-UBND về thu hồi đất")
    if channel == Channel.ASSISTED:
        fields.setdefault("registered_by", staff(commune, Role.OFFICE_OFFICER))
    return make_matter(commune, "triaged" if field_of_law else "new", since=when, kind=kind,
                       channel=channel, field_of_law=field_of_law, **fields)


def decided_on(matter, when: dt.datetime, state: str = "filed"):
    """The office's decision on ``matter`` at ``when`` (``state``: one of the triage endings or
    ``accepted``), which meets the deadlines its registration started."""
    return advance(matter, state, since=when)


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
