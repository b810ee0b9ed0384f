"""Fixtures of the report tests: staff of Xã An Lão, a city observer, matters received in Quý IV
năm 2026 through each channel, and a hearing held through the real planning service."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import CityFactory, CommuneFactory, staff_user
from tests.intake.test_triage_transitions import make_matter
from tiepdan.core.models import Role
from tiepdan.hearings import planning, selection
from tiepdan.intake.models import MatterDeadline
from tiepdan.workdays.deadlines import VN_TZ

#: "Now" for report tests: Tuesday 01/12/2026, 09:00 in Hải Phòng (Quý IV năm 2026 runs).
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=VN_TZ)
TODAY = NOW.date()


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(an_lao):
    return staff_user(Role.OFFICE_OFFICER, commune=an_lao, username="vanphong",
                      last_name="Đỗ", first_name="Thị Văn Phòng")


@pytest.fixture
def chairman(an_lao):
    return staff_user(Role.CHAIRMAN, commune=an_lao, username="chutich",
                      last_name="Vũ", first_name="Văn Chủ Tịch")


@pytest.fixture
def observer(city):
    """Ban Tiếp công dân thành phố: reads every commune of the city."""
    return staff_user(Role.CITY_OBSERVER, city=city, username="bantiepdan")


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

    matter = decided(an_lao, officer, "accept")
    chosen = selection.propose(matter, ground="b", actor=officer, note="Ở xa")
    selection.decide(chosen, approve=True, actor=chairman, reason="Đồng ý")
    hearing = planning.create_hearing(
        an_lao, starts_at=at("2026-12-15", 8), duration_minutes=120, chair=chairman,
        title="Tiếp công dân định kỳ tháng 12", actor=officer, matters=[matter])
    planning.add_bridge_point(
        hearing, actor=officer, kind="commune_hall", is_central=True, name="Trụ sở UBND xã",
        address="Thôn Hàm Hy", responsible_person="Vũ Văn Chủ Tịch",
        technical_contact_name="Ngô Văn Kỹ Thuật", technical_contact_phone="0912000999")
    planning.add_bridge_point(  # brings the matter's petitioner as a participant
        hearing, actor=officer, kind="citizen", name="Nhà văn hóa thôn Đông",
        address="Thôn Đông", responsible_person="Lý Văn Thôn",
        technical_contact_name="Lý Văn Thôn", technical_contact_phone="0912000888")
    planning.confirm_hearing(hearing, actor=officer)
    clock.move_to(at("2026-12-15", 10))
    planning.mark_held(hearing, actor=chairman)
    hearing.refresh_from_db()
    matter.refresh_from_db()
    return hearing, matter
