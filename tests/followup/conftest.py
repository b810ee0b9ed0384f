"""Fixtures of the follow-up tests: the commune's bodies, their representatives, the office,
the Chairman and a concluded matter (synthetic people only)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import staff_user
from tiepdan.core.models import Role
from tiepdan.followup.models import Body
from tiepdan.intake.models import Matter, MatterStatus
from tiepdan.workdays.deadlines import VN_TZ

#: "Now" for follow-up tests: Tuesday 15/12/2026, 09:00 in Hải Phòng.
NOW = dt.datetime(2026, 12, 15, 9, 0, tzinfo=VN_TZ)


def vn(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def officer(an_lao):
    return staff_user(Role.OFFICE_OFFICER, commune=an_lao, email="van.phong@example.org")


@pytest.fixture
def chairman(an_lao):
    return staff_user(Role.CHAIRMAN, commune=an_lao, email="chu.tich@example.org")


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
def matter(client, an_lao, form_data):
    """A matter whose hearing led to a conclusion (status concluded)."""
    client.post(reverse("intake:register", args=[an_lao.ward_code]),
                {**form_data, "email": "tran.binh@example.org"})
    matter = Matter.objects.get()
    Matter.objects.filter(pk=matter.pk).update(status=MatterStatus.CONCLUDED)
    matter.refresh_from_db()
    return matter
