"""Fixtures of the follow-up tests: the commune's bodies, their representatives and a concluded
matter (synthetic people only); the office and the Chairman come from ``tests/fixtures``."""

import datetime as dt

import pytest

from tests.builders import make_matter
from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.followup.models import Body
from tiepdan.workdays.deadlines import VN_TZ

#: "Now" for follow-up tests: Tuesday 15/12/2026, 09:00 in Hải Phòng.
NOW = dt.datetime(2026, 12, 15, 9, 0, tzinfo=VN_TZ)
#: When the concluded ``matter`` was registered (its hearing ten working days later).
HEARD_SINCE = dt.datetime(2026, 11, 10, 9, 0, tzinfo=VN_TZ)


def vn(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)


@pytest.fixture
def clock_start():
    """The follow-up tests' ``clock`` stands two weeks later than the others'."""
    return NOW


@pytest.fixture
def rep(an_lao):
    return staff_user(Role.DEPARTMENT_REP, commune=an_lao, email="dia.chinh@example.org")


@pytest.fixture
def other_rep(an_lao):
    return staff_user(Role.DEPARTMENT_REP, commune=an_lao, email="van.hoa@example.org")


@pytest.fixture
def land_office(an_lao, rep):
    body = Body.objects.create(commune=an_lao, name="Công chức Địa chính – Xây dựng",
                               email="diachinh.anlao@example.org")
    body.members.add(rep)
    return body


@pytest.fixture
def culture_office(an_lao, other_rep):
    body = Body.objects.create(commune=an_lao, name="Công chức Văn hóa – Xã hội")
    body.members.add(other_rep)
    return body


@pytest.fixture
def matter(an_lao, officer, chairman):
    """A matter heard at a hearing of 24/11/2026 whose conclusion's notice was issued (status
    concluded), all through the services, with no follow-up task yet."""
    return make_matter(an_lao, "concluded", officer=officer, chairman=chairman,
                       since=HEARD_SINCE, email="tran.binh@example.org")
